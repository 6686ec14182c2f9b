// plotly.js for Bereik: the core (with the scatter trace) plus bar and heatmap, the only trace
// types Bereik's figures draw (tests/web/test_map_assets.py checks both sides).
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap')]);

module.exports = Plotly;
