"""Importing existing lists: reading CSV and XLSX files and mapping their columns to actors."""
