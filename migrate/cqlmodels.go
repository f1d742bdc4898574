package migrate

import (
	"context"
	"fmt"
	"slices"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/cqltype"
	"github.com/cassa-go/cassa/orm"
)

// PlanCQLModels plans the CQL tables the orm models need in keyspace, as
// PlanModels does over Thrift: one table per model (ModelDef.Table: its
// partition key, clustering columns and their order, columns with their
// CQL types, static columns, secondary indexes) and the user-defined types
// its columns use (created before the table), diffed against
// system_schema as PlanCQL does:
//
//	plan, err := migrate.PlanCQLModels(ctx, db, "twissandra", orm.Model[TimelineEntry]())
//	fmt.Print(plan)
//	err = plan.Apply(ctx)
//
// A table is named as the model names it: its CFName method, else the Go
// type's name exactly as written, which CQL keeps case-sensitive (a model
// Post is the table "Post", not post); pass the same name to orm.Map.
//
// A new keyspace gets SimpleStrategy with replication factor 1; tables and
// types the models do not name are left alone. For other replication
// settings or table options build the spec with CQLModelsSpec, adjust it,
// and call PlanCQL. A model with tag errors, a super model (super column
// families exist on Thrift only), or two models that disagree about one
// table give a *SpecError before anything is read.
func PlanCQLModels(ctx context.Context, db *cql.Session, keyspace string, models ...orm.ModelDef) (*Plan, error) {
	spec, err := CQLModelsSpec(keyspace, models...)
	if err != nil {
		return nil, err
	}
	return PlanCQL(ctx, db, spec)
}

// CQLModelsSpec turns orm models into the KeyspaceSpec PlanCQLModels
// plans: one CQL TableSpec per table (TableFromCQL of ModelDef.Table), in
// the order the models are given, and the user types they use, each after
// the types it uses. Two models of one table (a full and a summary view of
// a row, say) are merged when they agree on its primary key and on every
// column they share; two models using one user type must agree on its
// fields.
func CQLModelsSpec(keyspace string, models ...orm.ModelDef) (*KeyspaceSpec, error) {
	spec := &KeyspaceSpec{Name: keyspace, Tables: []TableSpec{}}
	at := map[string]int{}     // table name -> index in spec.Tables
	typeAt := map[string]int{} // type name -> index in spec.Types
	for i, m := range models {
		path := fmt.Sprintf("models[%d]", i)
		switch {
		case m.Err != nil:
			return nil, &SpecError{Path: path, Msg: "model " + m.GoType + " has tag errors", Err: m.Err}
		case m.Super:
			return nil, &SpecError{Path: path, Msg: "model " + m.GoType + " has a super field: super column families exist on Thrift only; over CQL make the super field a clustering column"}
		case m.Table.Name == "":
			return nil, &SpecError{Path: path, Msg: "model " + m.GoType + " names no table"}
		}
		for _, u := range m.UserTypes {
			ts := TypeSpec{Name: u.Name}
			for _, f := range u.Fields {
				ts.Fields = append(ts.Fields, FieldSpec{Name: f.Name, Type: f.Type})
			}
			j, seen := typeAt[u.Name]
			if !seen {
				typeAt[u.Name] = len(spec.Types)
				spec.Types = append(spec.Types, ts)
				continue
			}
			if !slices.Equal(spec.Types[j].Fields, ts.Fields) {
				return nil, &SpecError{Path: path, Msg: fmt.Sprintf("model %s disagrees with an earlier model about user type %s", m.GoType, u.Name),
					Err: fmt.Errorf("fields %v vs %v", spec.Types[j].Fields, ts.Fields)}
			}
		}
		t := TableFromCQL(&m.Table)
		j, seen := at[t.Name]
		if !seen {
			at[t.Name] = len(spec.Tables)
			spec.Tables = append(spec.Tables, t)
			continue
		}
		if err := mergeCQLModelTable(&spec.Tables[j], t); err != nil {
			return nil, &SpecError{Path: path, Msg: fmt.Sprintf("model %s disagrees with an earlier model of table %s", m.GoType, t.Name), Err: err}
		}
	}
	return spec, nil
}

// mergeCQLModelTable adds the columns and indexes of b to a, refusing a
// different primary key or a column of another type or kind.
func mergeCQLModelTable(a *TableSpec, b TableSpec) error {
	if !slices.Equal(a.PartitionKey, b.PartitionKey) {
		return fmt.Errorf("partition key %v vs %v", a.PartitionKey, b.PartitionKey)
	}
	if !slices.Equal(a.Clustering, b.Clustering) {
		return fmt.Errorf("clustering %v vs %v", a.Clustering, b.Clustering)
	}
	for _, c := range b.Columns {
		k := slices.IndexFunc(a.Columns, func(x ColumnSpec) bool { return x.Name == c.Name })
		if k < 0 {
			a.Columns = append(a.Columns, c)
			continue
		}
		if x := a.Columns[k]; cqltype.Canon(x.Type) != cqltype.Canon(c.Type) || x.Static != c.Static {
			return fmt.Errorf("column %v: %s (static %v) vs %s (static %v)", c.Name, x.Type, x.Static, c.Type, c.Static)
		}
	}
	for _, ix := range b.Indexes {
		if !slices.ContainsFunc(a.Indexes, func(x TableIndexSpec) bool { return x.Name == ix.Name && x.Column == ix.Column }) {
			a.Indexes = append(a.Indexes, ix)
		}
	}
	return nil
}
