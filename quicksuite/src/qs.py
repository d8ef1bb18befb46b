"""Builders that turn the short visual descriptions of analysis.py into
QuickSight analysis-definition JSON (the shapes of botocore's QuickSight
model: AnalysisDefinition, KPIVisual, BarChartVisual, ...).

A field is written as a small tuple:

    dim("account")            group by a column (string, number or date)
    date("date_to", "MONTH")  group by a date column at a granularity
    sum("cost") avg(...)      numeric aggregate
    count("x") dcount("x")    count / distinct count (any column)
    value("calc_x")           a calculated measure (the expression aggregates)

The column's kind (STRING, INTEGER, DECIMAL, DATETIME, BOOLEAN) comes from
the data set's columns, so the right field shape is chosen.
"""

# PostgreSQL type (information_schema.columns.data_type) -> the type
# QuickSight infers for it.  Types QuickSight cannot read (jsonb, arrays)
# are left out of the data sets.
QS_TYPE = {
    "text": "STRING", "character varying": "STRING", "character": "STRING", "USER-DEFINED": "STRING",
    "integer": "INTEGER", "bigint": "INTEGER", "smallint": "INTEGER",
    "numeric": "DECIMAL", "real": "DECIMAL", "double precision": "DECIMAL",
    "boolean": "BOOLEAN",
    "date": "DATETIME", "timestamp with time zone": "DATETIME", "timestamp without time zone": "DATETIME",
}

NUMERIC = {"INTEGER", "DECIMAL"}


def dim(col):
    return ("dim", col, None)


def date(col, granularity="DAY"):
    return ("date", col, granularity)


def sum(col):  # noqa: A001 (shadowing on purpose: reads well in analysis.py)
    return ("num", col, "SUM")


def avg(col):
    return ("num", col, "AVERAGE")


def count(col):
    return ("cnt", col, "COUNT")


def dcount(col):
    return ("cnt", col, "DISTINCT_COUNT")


def value(col):
    return ("calc", col, None)


class Builder:
    """Expands visuals for one analysis; kinds(dataset, column) -> type."""

    def __init__(self, kinds):
        self.kinds = kinds
        self.visual_ids = []

    def field(self, visual_id, n, dataset, spec):
        what, col, extra = spec
        fid = f"{visual_id}.{n}.{col}"
        column = {"DataSetIdentifier": dataset, "ColumnName": col}
        kind = self.kinds(dataset, col)
        if what == "dim":
            if kind == "DATETIME":
                return {"DateDimensionField": {"FieldId": fid, "Column": column, "DateGranularity": "DAY"}}
            if kind in NUMERIC:
                return {"NumericalDimensionField": {"FieldId": fid, "Column": column}}
            return {"CategoricalDimensionField": {"FieldId": fid, "Column": column}}
        if what == "date":
            assert kind == "DATETIME", (dataset, col, kind)
            return {"DateDimensionField": {"FieldId": fid, "Column": column, "DateGranularity": extra}}
        if what == "num":
            assert kind in NUMERIC, (dataset, col, kind)
            return {"NumericalMeasureField": {"FieldId": fid, "Column": column,
                                              "AggregationFunction": {"SimpleNumericalAggregation": extra}}}
        if what == "cnt":
            if kind in NUMERIC:
                return {"NumericalMeasureField": {"FieldId": fid, "Column": column,
                                                  "AggregationFunction": {"SimpleNumericalAggregation": extra}}}
            return {"CategoricalMeasureField": {"FieldId": fid, "Column": column, "AggregationFunction": extra}}
        if what == "calc":
            return {"NumericalMeasureField": {"FieldId": fid, "Column": column}}
        raise ValueError(spec)

    def fields(self, visual_id, dataset, specs, start=0):
        return [self.field(visual_id, start + i, dataset, s) for i, s in enumerate(specs)]

    def visual(self, kind, title, dataset, **wells):
        visual_id = f"v{len(self.visual_ids) + 1:02d}"
        self.visual_ids.append(visual_id)
        head = {"VisualId": visual_id,
                "Title": {"Visibility": "VISIBLE", "FormatText": {"PlainText": title}}}
        f = lambda key, start: self.fields(visual_id, dataset, wells.get(key, []), start)  # noqa: E731
        if kind == "kpi":
            fw = {"Values": f("values", 0)}
            if wells.get("trend"):
                fw["TrendGroups"] = f("trend", 10)
            return "KPIVisual", dict(head, ChartConfiguration={"FieldWells": fw})
        if kind == "bar":
            fw = {"BarChartAggregatedFieldWells": {"Category": f("category", 0), "Values": f("values", 10),
                                                   "Colors": f("colors", 20)}}
            return "BarChartVisual", dict(head, ChartConfiguration={"FieldWells": fw, "Orientation": "HORIZONTAL"})
        if kind == "pie":
            fw = {"PieChartAggregatedFieldWells": {"Category": f("category", 0), "Values": f("values", 10)}}
            return "PieChartVisual", dict(head, ChartConfiguration={"FieldWells": fw})
        if kind == "line":
            fw = {"LineChartAggregatedFieldWells": {"Category": f("category", 0), "Values": f("values", 10),
                                                    "Colors": f("colors", 20)}}
            return "LineChartVisual", dict(head, ChartConfiguration={"FieldWells": fw})
        if kind == "summary":
            fw = {"TableAggregatedFieldWells": {"GroupBy": f("group", 0), "Values": f("values", 40)}}
            return "TableVisual", dict(head, ChartConfiguration={"FieldWells": fw})
        if kind == "table":
            cols = [{"FieldId": f"{visual_id}.{i}.{c}", "Column": {"DataSetIdentifier": dataset, "ColumnName": c}}
                    for i, c in enumerate(wells["columns"])]
            return "TableVisual", dict(head, ChartConfiguration={
                "FieldWells": {"TableUnaggregatedFieldWells": {"Values": cols}}})
        raise ValueError(kind)


SPAN = {"KPIVisual": (9, 5), "PieChartVisual": (12, 10), "BarChartVisual": (18, 10),
        "LineChartVisual": (18, 10), "TableVisual": (36, 12)}


def layout(visuals):
    elements = []
    for v in visuals:
        (kind, body), = v.items()
        cols, rows = SPAN[kind]
        if kind == "TableVisual" and "TableAggregatedFieldWells" in body["ChartConfiguration"]["FieldWells"]:
            cols = 18
        elements.append({"ElementId": body["VisualId"], "ElementType": "VISUAL",
                         "ColumnSpan": cols, "RowSpan": rows})
    return [{"Configuration": {"GridLayout": {"Elements": elements}}}]
