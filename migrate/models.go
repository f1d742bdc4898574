package migrate

import (
	"context"
	"fmt"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
)

// PlanModels plans the schema that the orm models need in keyspace: one
// column family per model (named by orm.Model, so a CFName method
// applies), with its comparators, key and default validators, column
// validators and KEYS indexes, diffed against the live schema as
// PlanSchema does:
//
//	plan, err := migrate.PlanModels(ctx, sys, "Twissandra", orm.Model[User](), orm.Model[Tweet]())
//	fmt.Print(plan)
//	err = plan.Apply(ctx)
//
// A new keyspace gets SimpleStrategy with replication factor 1; column
// families the models do not name are left alone. For other replication
// settings build the spec with ModelsSpec, adjust it, and call PlanSchema.
// A model with tag errors, or two models that disagree about one column
// family, give a *SpecError before anything is read.
func PlanModels(ctx context.Context, sys *SystemManager, keyspace string, models ...orm.ModelDef) (*Plan, error) {
	spec, err := ModelsSpec(keyspace, models...)
	if err != nil {
		return nil, err
	}
	return PlanSchema(ctx, sys, spec)
}

// ModelsSpec turns orm models into the KeyspaceSpec PlanModels plans: one
// TableSpec per column family, in the order the models are given.
//
// A column whose validator is the column family's default validation class
// and that has no index gets no column metadata (counter columns, BytesType
// columns), as Cassandra would store nothing more for it. Two models of one
// column family (a full and a summary view of a row, say) are merged when
// they agree on its types and on every column they share.
func ModelsSpec(keyspace string, models ...orm.ModelDef) (*KeyspaceSpec, error) {
	spec := &KeyspaceSpec{Name: keyspace, Tables: []TableSpec{}}
	at := map[string]int{} // column family name -> index in spec.Tables
	// Every column's validator class, metadata or not, so two models cannot
	// disagree about a column that gets no metadata.
	classes := map[string]map[string]string{}
	for i, m := range models {
		path := fmt.Sprintf("models[%d]", i)
		if m.Err != nil {
			return nil, &SpecError{Path: path, Msg: "model " + m.GoType + " has tag errors", Err: m.Err}
		}
		if m.Name == "" {
			return nil, &SpecError{Path: path, Msg: "model " + m.GoType + " names no column family"}
		}
		if classes[m.Name] == nil {
			classes[m.Name] = map[string]string{}
		}
		for _, c := range m.Columns {
			class := modelClassName(modelType(c.Validator))
			if prev, ok := classes[m.Name][c.Name]; ok && prev != class {
				return nil, &SpecError{Path: path, Msg: fmt.Sprintf("model %s disagrees with an earlier model of column family %s", m.GoType, m.Name),
					Err: fmt.Errorf("column %s validator %s vs %s", c.Name, prev, class)}
			}
			classes[m.Name][c.Name] = class
		}
		t := modelTable(m)
		j, seen := at[m.Name]
		if !seen {
			at[m.Name] = len(spec.Tables)
			spec.Tables = append(spec.Tables, t)
			continue
		}
		if err := mergeModelTable(&spec.Tables[j], t); err != nil {
			return nil, &SpecError{Path: path, Msg: fmt.Sprintf("model %s disagrees with an earlier model of column family %s", m.GoType, m.Name), Err: err}
		}
	}
	return spec, nil
}

// modelTable is the TableSpec of one model.
func modelTable(m orm.ModelDef) TableSpec {
	t := TableSpec{
		Name:              m.Name,
		Super:             m.Super,
		Comparator:        modelType(m.Comparator),
		Subcomparator:     modelType(m.Subcomparator),
		KeyValidation:     modelType(m.KeyValidation),
		DefaultValidation: modelType(m.DefaultValidation),
	}
	// A model with clustering columns names its cells with a composite
	// of the clustering values and the column name, as Cassandra stored
	// CQL rows: no column metadata could name them.
	wide := !m.Super && len(m.Table.Clustering) > 0
	for _, c := range m.Columns {
		if wide || !c.Index && modelSameClass(c.Validator, m.DefaultValidation) {
			continue
		}
		t.Columns = append(t.Columns, ColumnSpec{Name: c.Name, Validator: modelType(c.Validator), Index: c.Index})
	}
	return t
}

// mergeModelTable adds the columns of b to a, refusing any disagreement.
func mergeModelTable(a *TableSpec, b TableSpec) error {
	same := func(what string, x, y any) error {
		if modelClassName(x) != modelClassName(y) {
			return fmt.Errorf("%s %s vs %s", what, modelClassName(x), modelClassName(y))
		}
		return nil
	}
	if a.Super != b.Super {
		return fmt.Errorf("super %v vs %v", a.Super, b.Super)
	}
	for _, e := range []error{
		same("comparator", a.Comparator, b.Comparator),
		same("subcomparator", a.Subcomparator, b.Subcomparator),
		same("key validation", a.KeyValidation, b.KeyValidation),
		same("default validation", a.DefaultValidation, b.DefaultValidation),
	} {
		if e != nil {
			return e
		}
	}
	for _, c := range b.Columns {
		k := -1
		for i := range a.Columns {
			if a.Columns[i].Name == c.Name {
				k = i
				break
			}
		}
		if k < 0 {
			a.Columns = append(a.Columns, c)
			continue
		}
		if err := same(fmt.Sprintf("column %v validator", c.Name), a.Columns[k].Validator, c.Validator); err != nil {
			return err
		}
		// One model indexing a column is enough for the index to exist.
		a.Columns[k].Index = a.Columns[k].Index || c.Index
	}
	return nil
}

// modelType keeps a nil codec.Type a nil interface in the spec's any fields.
func modelType(t codec.Type) any {
	if t == nil {
		return nil
	}
	return t
}

func modelSameClass(a, b codec.Type) bool {
	return a != nil && b != nil && a.Class() == b.Class()
}

func modelClassName(v any) string {
	if t, ok := v.(codec.Type); ok && t != nil {
		return t.Class()
	}
	return "(none)"
}
