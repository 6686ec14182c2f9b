"""Demo data: a realistic Sint-Niklaas stakeholder picture for a fresh install, the benchmarks
and the tests. Seed tooling, not domain code: it writes with bulk inserts (and COPY on
PostgreSQL) and calls crm's service functions; crm never imports it."""
