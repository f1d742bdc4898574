package migrate

import "github.com/cassa-go/cassa/cql"

// TableFromCQL describes a CQL table given as a cql.Table as the
// TableSpec a plan takes: its partition key, clustering columns and their
// order, columns with their CQL types (static ones flagged) and secondary
// indexes. A cql.Table is what cql.Session.Table reads from a live schema,
// and what a mapper describes its model as, so a model's table plugs into
// PlanCQL and PlanCQLTables through this function. Options are not part
// of a cql.Table; set Options on the result to manage them.
func TableFromCQL(t *cql.Table) TableSpec {
	if t == nil {
		return TableSpec{}
	}
	spec := TableSpec{Name: t.Name, PartitionKey: append([]string(nil), t.PartitionKey...)}
	for _, c := range t.Clustering {
		order := "asc"
		if c.Descending {
			order = "desc"
		}
		spec.Clustering = append(spec.Clustering, ClusteringSpec{Name: c.Name, Order: order})
	}
	for _, c := range t.Columns {
		spec.Columns = append(spec.Columns, ColumnSpec{Name: c.Name, Type: c.Type, Static: c.Static})
	}
	for _, ix := range t.Indexes {
		is := TableIndexSpec{Name: ix.Name, Column: ix.Column}
		switch ix.Kind {
		case cql.IndexKeys:
			is.Target = "keys"
		case cql.IndexEntries:
			is.Target = "entries"
		case cql.IndexFull:
			is.Target = "full"
		case cql.IndexCustom:
			is.Class = ix.Class
		}
		spec.Indexes = append(spec.Indexes, is)
	}
	return spec
}
