package cqlexec

import (
	"sort"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// qualify resolves the keyspace of a table, index or type name against
// the session keyspace (ClientState.getKeyspace).
func qualify(n cqlparse.QualifiedName, session string) (string, error) {
	if n.Keyspace.Name != "" {
		return n.Keyspace.Name, nil
	}
	if session == "" {
		return "", invalidf(msgNoKeyspace)
	}
	return session, nil
}

// schemaOp turns a parsed schema statement into the schema package's
// operation, resolving unqualified names against keyspace; ok is false for
// a statement that is not one of them.
func schemaOp(st cqlparse.Statement, keyspace string) (op *schema.Op, ok bool, err error) {
	switch s := st.(type) {
	case *cqlparse.CreateKeyspaceStmt:
		return &schema.Op{CreateKeyspace: &schema.CreateKeyspace{Name: s.Keyspace.Name, IfNotExists: s.IfNotExists,
			Properties: properties(s.Properties)}}, true, nil
	case *cqlparse.AlterKeyspaceStmt:
		return &schema.Op{AlterKeyspace: &schema.AlterKeyspace{Name: s.Keyspace.Name, Properties: properties(s.Properties)}}, true, nil
	case *cqlparse.DropKeyspaceStmt:
		return &schema.Op{DropKeyspace: &schema.DropKeyspace{Name: s.Keyspace.Name, IfExists: s.IfExists}}, true, nil
	case *cqlparse.CreateTableStmt:
		ks, err := qualify(s.Table, keyspace)
		if err != nil {
			return nil, true, err
		}
		return &schema.Op{CreateTable: createTable(ks, s)}, true, nil
	case *cqlparse.AlterTableStmt:
		ks, err := qualify(s.Table, keyspace)
		if err != nil {
			return nil, true, err
		}
		return &schema.Op{AlterTable: alterTable(ks, s)}, true, nil
	case *cqlparse.DropTableStmt:
		ks, err := qualify(s.Table, keyspace)
		if err != nil {
			return nil, true, err
		}
		return &schema.Op{DropTable: &schema.DropTable{Keyspace: ks, Name: s.Table.Name.Name, IfExists: s.IfExists}}, true, nil
	case *cqlparse.CreateIndexStmt:
		ks, err := qualify(s.Table, keyspace)
		if err != nil {
			return nil, true, err
		}
		return &schema.Op{CreateIndex: createIndex(ks, s)}, true, nil
	case *cqlparse.DropIndexStmt:
		ks, err := qualify(s.Index, keyspace)
		if err != nil {
			return nil, true, err
		}
		return &schema.Op{DropIndex: &schema.DropIndex{Keyspace: ks, Name: s.Index.Name.Name, IfExists: s.IfExists}}, true, nil
	case *cqlparse.CreateTypeStmt:
		ks, err := qualify(s.Type, keyspace)
		if err != nil {
			return nil, true, err
		}
		ct := &schema.CreateType{Keyspace: ks, Name: s.Type.Name.Name, IfNotExists: s.IfNotExists}
		for _, f := range s.Fields {
			ct.FieldNames = append(ct.FieldNames, f.Name.Name)
			ct.FieldTypes = append(ct.FieldTypes, rawType(f.Type))
		}
		return &schema.Op{CreateType: ct}, true, nil
	case *cqlparse.AlterTypeStmt:
		if s.Kind == cqlparse.AlterTypeAlter {
			// Raised by 3.11's grammar action, before any lookup.
			return nil, true, invalidf("Altering of types is not allowed")
		}
		ks, err := qualify(s.Type, keyspace)
		if err != nil {
			return nil, true, err
		}
		at := &schema.AlterUserType{Keyspace: ks, Name: s.Type.Name.Name, Field: s.Field.Name}
		switch s.Kind {
		case cqlparse.AlterTypeAdd:
			at.Kind = schema.AlterTypeAdd
			at.Type = rawType(s.FieldType)
		case cqlparse.AlterTypeRename:
			at.Kind = schema.AlterTypeRename
			at.Renames = renames(s.Renames)
		}
		return &schema.Op{AlterType: at}, true, nil
	case *cqlparse.DropTypeStmt:
		ks, err := qualify(s.Type, keyspace)
		if err != nil {
			return nil, true, err
		}
		return &schema.Op{DropType: &schema.DropType{Keyspace: ks, Name: s.Type.Name.Name, IfExists: s.IfExists}}, true, nil
	}
	return nil, false, nil
}

func properties(ps []cqlparse.Property) schema.Properties {
	out := make(schema.Properties, len(ps))
	for _, p := range ps {
		if p.IsMap {
			m := make(map[string]string, len(p.Map))
			for _, e := range p.Map {
				m[e.Key] = e.Value
			}
			out[p.Name.Name] = schema.Property{Map: m}
			continue
		}
		out[p.Name.Name] = schema.Property{Text: p.Value}
	}
	return out
}

// rawType is the schema's form of a type as written.
func rawType(t *cqlparse.CQLType) schema.RawType {
	if t == nil {
		return schema.RawType{}
	}
	switch t.Kind {
	case cqlparse.TypeNative:
		return schema.RawType{Name: t.Name}
	case cqlparse.TypeCustom:
		return schema.RawType{Custom: t.Name}
	case cqlparse.TypeUDT:
		return schema.RawType{Name: t.UDT.Name.Name, Keyspace: t.UDT.Keyspace.Name}
	}
	r := schema.RawType{}
	switch t.Kind {
	case cqlparse.TypeList:
		r.Name = "list"
	case cqlparse.TypeSet:
		r.Name = "set"
	case cqlparse.TypeMap:
		r.Name = "map"
	case cqlparse.TypeTuple:
		r.Name = "tuple"
	case cqlparse.TypeFrozen:
		r.Name = "frozen"
	}
	for _, p := range t.Params {
		r.Args = append(r.Args, rawType(p))
	}
	return r
}

func columnSpecs(defs []cqlparse.ColumnDef) []schema.ColumnSpec {
	out := make([]schema.ColumnSpec, 0, len(defs))
	for _, d := range defs {
		out = append(out, schema.ColumnSpec{Name: d.Name.Name, Type: rawType(d.Type), Static: d.Static})
	}
	return out
}

func names(ids []cqlparse.Ident) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.Name
	}
	return out
}

func renames(rs []cqlparse.Rename) []schema.RenameSpec {
	out := make([]schema.RenameSpec, len(rs))
	for i, r := range rs {
		out[i] = schema.RenameSpec{From: r.From.Name, To: r.To.Name}
	}
	return out
}

// createTable maps CREATE TABLE. The parser keeps one partition key list
// per PRIMARY KEY declaration (more than one is refused by the schema, as
// by CreateTableStatement) and every clause's clustering columns together.
func createTable(ks string, s *cqlparse.CreateTableStmt) *schema.CreateTable {
	ct := &schema.CreateTable{Keyspace: ks, Name: s.Table.Name.Name, IfNotExists: s.IfNotExists,
		Columns: columnSpecs(s.Columns), CompactStorage: s.Options.CompactStorage,
		Properties: properties(s.Options.Properties)}
	for i, pk := range s.PartitionKeys {
		k := schema.PrimaryKey{Partition: names(pk)}
		if i == 0 {
			k.Clustering = names(s.ClusteringColumns)
		}
		ct.PrimaryKeys = append(ct.PrimaryKeys, k)
	}
	for _, o := range s.Options.ClusteringOrder {
		ct.ClusteringOrder = append(ct.ClusteringOrder, schema.ClusteringOrderSpec{Column: o.Column.Name, Desc: o.Desc})
	}
	return ct
}

func alterTable(ks string, s *cqlparse.AlterTableStmt) *schema.AlterTable {
	at := &schema.AlterTable{Keyspace: ks, Name: s.Table.Name.Name}
	switch s.Kind {
	case cqlparse.AlterTableAlterType:
		at.Kind = schema.AlterType
		if len(s.Columns) > 0 {
			at.Column = s.Columns[0].Name.Name
			at.Type = rawType(s.Columns[0].Type)
		}
	case cqlparse.AlterTableAdd:
		at.Kind = schema.AlterAdd
		at.Add = columnSpecs(s.Columns)
	case cqlparse.AlterTableDrop:
		at.Kind = schema.AlterDrop
		for _, c := range s.Columns {
			at.Drop = append(at.Drop, c.Name.Name)
		}
		if s.DropTimestamp != nil {
			at.Timestamp = *s.DropTimestamp
		}
	case cqlparse.AlterTableDropCompactStorage:
		at.Kind = schema.AlterDropCompactStorage
	case cqlparse.AlterTableWith:
		at.Kind = schema.AlterOptions
		at.Properties = properties(s.Properties)
	case cqlparse.AlterTableRename:
		at.Kind = schema.AlterRename
		at.Renames = renames(s.Renames)
	}
	return at
}

var indexTargetTypes = map[cqlparse.IndexTargetKind]string{
	cqlparse.IndexSimple: "", cqlparse.IndexKeys: "keys", cqlparse.IndexValues: "values",
	cqlparse.IndexEntries: "entries", cqlparse.IndexFull: "full",
}

func createIndex(ks string, s *cqlparse.CreateIndexStmt) *schema.CreateIndex {
	ci := &schema.CreateIndex{Keyspace: ks, Table: s.Table.Name.Name, Name: s.Name.Name, IfNotExists: s.IfNotExists,
		Custom: s.Custom, Properties: properties(s.Properties)}
	if s.Class != nil {
		ci.Class = *s.Class
	}
	for _, t := range s.Targets {
		ci.Targets = append(ci.Targets, schema.IndexTargetSpec{Column: t.Column.Name, Type: indexTargetTypes[t.Kind]})
	}
	return ci
}

// changeSchema runs a schema statement: the node logs and applies it,
// the SCHEMA_CHANGE events go to registered connections, and the answer
// is the Schema_change result, or Void when IF [NOT] EXISTS made it a
// no-op (SchemaAlteringStatement.execute).
func (e *Executor) changeSchema(op *schema.Op) (message.Message, []string, error) {
	ch, err := e.node.ChangeSchema(op)
	if err != nil {
		return nil, nil, err
	}
	if ch == nil {
		return &message.VoidResult{}, nil, nil
	}
	change, target, ks, name, ok := ch.Event()
	if !ok {
		return &message.VoidResult{}, ch.Warnings, nil
	}
	for _, ev := range events(ch) {
		e.publish(ev)
	}
	return &message.SchemaChangeResult{ChangeType: primitive.SchemaChangeType(change),
		Target: primitive.SchemaChangeTarget(target), Keyspace: ks, Object: name}, ch.Warnings, nil
}

// events are the SCHEMA_CHANGE events 3.11's schema merge raises for a
// change (SchemaKeyspace.mergeSchema and the MigrationListener callbacks):
// usually the statement's own result; DROP KEYSPACE first drops every
// table and type of the keyspace; ALTER KEYSPACE that changes nothing
// raises none; ALTER TYPE also updates each table using the type.
func events(ch *schema.Change) []*message.SchemaChangeEvent {
	change, target, ks, name, _ := ch.Event()
	own := &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeType(change),
		Target: primitive.SchemaChangeTarget(target), Keyspace: ks, Object: name}
	switch ch.Kind {
	case schema.KeyspaceDropped:
		var out []*message.SchemaChangeEvent
		for _, t := range ch.Dropped {
			out = append(out, &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeDropped,
				Target: primitive.SchemaChangeTargetTable, Keyspace: ks, Object: t.Name})
		}
		if old := ch.Old.Keyspace(ks); old != nil {
			typeNames := make([]string, 0, len(old.Types))
			for n := range old.Types {
				typeNames = append(typeNames, n)
			}
			sort.Strings(typeNames)
			for _, n := range typeNames {
				out = append(out, &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeDropped,
					Target: primitive.SchemaChangeTargetType, Keyspace: ks, Object: n})
			}
		}
		return append(out, own)
	case schema.KeyspaceUpdated:
		if sameKeyspaceParams(ch.Old.Keyspace(ks), ch.New.Keyspace(ks)) {
			return nil
		}
	case schema.TypeUpdated:
		out := []*message.SchemaChangeEvent{own}
		for _, u := range ch.Updated {
			out = append(out, &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeUpdated,
				Target: primitive.SchemaChangeTargetTable, Keyspace: u.New.Keyspace, Object: u.New.Name})
		}
		return out
	}
	return []*message.SchemaChangeEvent{own}
}

// sameKeyspaceParams compares what KeyspaceParams holds.
func sameKeyspaceParams(a, b *schema.Keyspace) bool {
	if a == nil || b == nil || a.StrategyClass != b.StrategyClass || a.DurableWrites != b.DurableWrites ||
		len(a.StrategyOptions) != len(b.StrategyOptions) {
		return false
	}
	for k, v := range a.StrategyOptions {
		if w, ok := b.StrategyOptions[k]; !ok || w != v {
			return false
		}
	}
	return true
}
