-- types.sql: the enumerated types the tables use.
--
-- Only one: the granularity of a cost report period.  It must be created
-- before tables_cost.sql, which uses it for cost_reports.period_granularity.
-- The labels and their order are the reference's, so a value written by the
-- reference's receiver or compared in a QuickSight filter means the same
-- here.  YEARLY is deliberately not a label: the reference cannot store it
-- either, and adding labels later is a one-line upgrade (ALTER TYPE ... ADD
-- VALUE), whereas removing one is not.

CREATE TYPE period_granularity_type AS ENUM ('MONTHLY', 'WEEKLY', 'DAILY');
