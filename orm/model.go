package orm

import (
	"context"
	"reflect"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
)

// ModelDef describes the table a model needs, for schema tools (migrate
// diffs it against the live schema) and for Verify: as a Thrift column
// family (the fields up to Columns; the types are codec.Type values, Class
// gives Cassandra's name) and as a CQL table (Table, UserTypes). It is
// plain data.
type ModelDef struct {
	// Name is the column family name: the mapper's, or for Model[T] the
	// result of T's CFName method when it has one, else the struct name.
	Name string
	// GoType is the Go struct type's name.
	GoType string
	// Super is true when the model has a super field.
	Super bool
	// Counter is true when the model's columns are counters
	// (DefaultValidation is then CounterColumnType).
	Counter bool
	// Comparator orders column names (super column names when Super): UTF8Type
	// for a standard model, whose column names are strings; the super
	// field's type for a super model; for a model with clustering columns,
	// CompositeType of their types (ReversedType when descending) and
	// UTF8Type, and then the model's values have no column metadata.
	Comparator codec.Type
	// Subcomparator orders sub-column names of a super model (UTF8Type);
	// nil for a standard model.
	Subcomparator codec.Type
	// KeyValidation is the key field's type, or CompositeType of the
	// partition key fields' types.
	KeyValidation codec.Type
	// DefaultValidation is the type of values without column metadata:
	// CounterColumnType for counters, BytesType otherwise.
	DefaultValidation codec.Type
	// Columns are the mapped columns in declaration order (neither key
	// nor clustering columns).
	Columns []ModelColumn

	// Table is the model as a CQL table, keyspace-agnostic (its Keyspace
	// is empty): the partition key and clustering columns (with their
	// order), every column with its CQL type ("text", "frozen<list<int>>",
	// "frozen<address>") in the order of a CREATE TABLE (partition key,
	// clustering, then the others as declared, static ones flagged), and
	// a secondary index per column tagged index, named
	// <table>_<column>_idx as Cassandra names them. It is what
	// cql.Session.Table returns for the live table, so the two compare
	// field by field.
	Table cql.Table
	// UserTypes are the user-defined types the table's columns use, each
	// after the types it uses itself: what must exist before the table.
	UserTypes []UserTypeDef

	// Err is the error in the model's tags, if any; the other fields are
	// then empty.
	Err error
}

// UserTypeDef is a CQL user-defined type a model uses.
type UserTypeDef struct {
	Name   string // unqualified
	Fields []UserTypeField
}

// UserTypeField is a field of a user-defined type, with its CQL type.
type UserTypeField struct {
	Name string
	Type string
}

// CQLSchema returns the statements that create the model's user types,
// table and indexes in keyspace ks (unqualified for ""): CREATE TYPE,
// CREATE TABLE and CREATE INDEX, each IF NOT EXISTS, in that order. It
// creates; it does not alter an existing table into shape (migrations
// plan that from Table).
func (d ModelDef) CQLSchema(ks string) []string {
	if d.Err != nil || d.Table.Name == "" {
		return nil
	}
	return cqlSchema(&d, ks, true)
}

// ModelColumn is one column of a model.
type ModelColumn struct {
	Name      string
	Validator codec.Type
	Index     bool // tagged index: a KEYS secondary index
	Counter   bool
	Default   any // the default= value, nil without one
}

// Namer is implemented by models that name their column family; Model uses
// it when it is there.
type Namer interface {
	CFName() string
}

// Model describes the model T (see ModelDef). Tag errors are in ModelDef.Err,
// so models can be listed inline:
//
//	plan, err := migrate.PlanModels(ctx, sys, "Twissandra", orm.Model[User](), orm.Model[Tweet]())
func Model[T any]() ModelDef {
	t := reflect.TypeFor[T]()
	name := t.Name()
	var zero T
	if n, ok := any(zero).(Namer); ok {
		name = n.CFName()
	} else if n, ok := any(&zero).(Namer); ok {
		name = n.CFName()
	}
	p, err := modelPlan[T]()
	if err != nil {
		return ModelDef{Name: name, GoType: t.String(), Err: err}
	}
	return p.model(name)
}

// Model describes the mapper's model, named after its column family.
func (m *Mapper[T, K]) Model() ModelDef {
	if err := m.Err(); err != nil {
		return ModelDef{Name: m.Name(), GoType: reflect.TypeFor[T]().String(), Err: err}
	}
	return m.plan.model(m.name)
}

func (p *plan) model(name string) ModelDef {
	d := ModelDef{Name: name, GoType: p.typ.String(), Super: p.super != nil, Counter: p.counter,
		Comparator: codec.UTF8, KeyValidation: p.keyType, DefaultValidation: codec.Bytes}
	if p.super != nil {
		d.Comparator, d.Subcomparator = p.super.typ, codec.UTF8
	}
	if p.comparator != nil {
		d.Comparator = p.comparator
	}
	d.Table, d.UserTypes = p.cqlTableOf(name)
	if p.counter {
		d.DefaultValidation = codec.CounterColumn
	}
	for _, fp := range p.cols {
		d.Columns = append(d.Columns, ModelColumn{Name: fp.name, Validator: fp.typ, Index: fp.f.Indexed,
			Counter: fp.f.Counter, Default: fp.f.Default})
	}
	return d
}

// Verify compares the model with the live column family: super or
// standard, comparator (and subcomparator), key validation class, counter
// or not, each column's validator (its column metadata, else the default
// validation class) and secondary indexes. It returns nil when they agree
// and a *VerifyError listing every difference otherwise; run it at
// start-up or in CI. A standard model's column names are text, so a
// UTF8Type, AsciiType or BytesType comparator all agree with it.
func (m *Mapper[T, K]) Verify(ctx context.Context) error {
	if err := m.ready(ctx); err != nil {
		return err
	}
	d := m.plan.model(m.name)
	diffs, err := m.tx.verify(ctx, &d)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		return &VerifyError{CF: m.name, Model: m.plan.st.Name, Diffs: diffs}
	}
	return nil
}
