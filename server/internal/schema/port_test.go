package schema

import (
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// The schema of Cassandra's own Thrift system tests (Cassandra 2.0's
// test/system/__init__.py, ThriftTester.define_schema) and the schema flows
// of the test_system_* cases in its test/system/test_thrift_server.py,
// ported to the catalog.

func systemTestSchema(t *testing.T) *Schema {
	t.Helper()
	s := newSchema()
	keys := thriftgen.IndexType_KEYS
	tu := uuid.MustParse("00000000-0000-1000-0000-000000000000")
	k1 := []*thriftgen.CfDef{
		{Keyspace: "Keyspace1", Name: "Standard1"},
		{Keyspace: "Keyspace1", Name: "Standard2"},
		{Keyspace: "Keyspace1", Name: "StandardLong1", ComparatorType: "LongType"},
		{Keyspace: "Keyspace1", Name: "StandardLong2", ComparatorType: "LongType"},
		{Keyspace: "Keyspace1", Name: "StandardInteger1", ComparatorType: "IntegerType"},
		{Keyspace: "Keyspace1", Name: "StandardComposite", ComparatorType: "CompositeType(AsciiType, AsciiType)"},
		{Keyspace: "Keyspace1", Name: "Super1", ColumnType: "Super", SubcomparatorType: sp("LongType")},
		{Keyspace: "Keyspace1", Name: "Super2", ColumnType: "Super", SubcomparatorType: sp("LongType")},
		{Keyspace: "Keyspace1", Name: "Super3", ColumnType: "Super", ComparatorType: "LongType", SubcomparatorType: sp("UTF8Type")},
		{Keyspace: "Keyspace1", Name: "Super4", ColumnType: "Super", SubcomparatorType: sp("UTF8Type")},
		{Keyspace: "Keyspace1", Name: "Counter1", DefaultValidationClass: sp("CounterColumnType")},
		{Keyspace: "Keyspace1", Name: "SuperCounter1", ColumnType: "Super", DefaultValidationClass: sp("CounterColumnType")},
		{Keyspace: "Keyspace1", Name: "Indexed1", ColumnMetadata: []*thriftgen.ColumnDef{
			idx([]byte("birthdate"), "LongType", keys, sp("birthdate_index"))}},
		{Keyspace: "Keyspace1", Name: "Indexed2", ComparatorType: "TimeUUIDType", ColumnMetadata: []*thriftgen.ColumnDef{
			idx(tu[:], "LongType", keys, nil)}},
	}
	if _, err := s.AddKeyspace(&thriftgen.KsDef{Name: "Keyspace1", StrategyClass: "org.apache.cassandra.locator.SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: k1, DurableWrites: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKeyspace(&thriftgen.KsDef{Name: "Keyspace2", StrategyClass: "org.apache.cassandra.locator.SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, DurableWrites: true,
		CfDefs: []*thriftgen.CfDef{{Keyspace: "Keyspace2", Name: "Standard1"}, {Keyspace: "Keyspace2", Name: "Super3", ColumnType: "Super", SubcomparatorType: sp("BytesType")}}}); err != nil {
		t.Fatal(err)
	}
	return s
}

func findCf(t *testing.T, s *Schema, ks, name string) *thriftgen.CfDef {
	t.Helper()
	for _, d := range s.Current().Keyspace(ks).Def().CfDefs {
		if d.Name == name {
			return d
		}
	}
	return nil
}

func TestSystemTestSchema(t *testing.T) {
	s := systemTestSchema(t)
	if n := len(s.Current().Describe()); n != 7 {
		t.Errorf("describe_keyspaces has %d keyspaces, want 7 as on 3.11", n)
	}
	ks1 := s.Current().Keyspace("Keyspace1").Def()
	if ks1.StrategyOptions["replication_factor"] != "1" || len(ks1.CfDefs) != 14 {
		t.Errorf("Keyspace1 = %+v", ks1)
	}
	if d := findCf(t, s, "Keyspace1", "Standard1"); d.ComparatorType != m+"BytesType" {
		t.Errorf("Standard1 comparator %s", d.ComparatorType)
	}
	if d := findCf(t, s, "Keyspace1", "StandardComposite"); d.ComparatorType != m+"CompositeType("+m+"AsciiType,"+m+"AsciiType)" {
		t.Errorf("StandardComposite comparator %s", d.ComparatorType)
	}
	// The TimeUUID-named index gets its default name from the UUID text.
	c := s.Current().Table("Keyspace1", "Indexed2").IndexedColumns()[0]
	if c.Index.Name != "Indexed2_00000000000010000000000000000000_idx" {
		t.Errorf("Indexed2 index name %s", c.Index.Name)
	}
	if s.Current().Table("Keyspace1", "SuperCounter1").Counter != true || !s.Current().Table("Keyspace1", "Super3").Super {
		t.Error("counter or super flags")
	}
}

func TestSystemTestSystemColumnFamilyOperations(t *testing.T) {
	s := systemTestSchema(t)
	cd := col([]byte("ValidationColumn"), "BytesType")
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "NewColumnFamily", ColumnMetadata: []*thriftgen.ColumnDef{cd}}); err != nil {
		t.Fatal(err)
	}
	// modify invalid: a LongType comparator over BytesType data.
	_, err := s.UpdateTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "NewColumnFamily", ComparatorType: "LongType", ColumnMetadata: []*thriftgen.ColumnDef{cd}})
	if why(t, err) != "Column name 56616c69646174696f6e436f6c756d6e is not valid for comparator "+m+"LongType" {
		t.Errorf("got %v", err)
	}
	// modify valid
	if _, err := s.UpdateTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "NewColumnFamily", ComparatorType: "BytesType",
		ColumnMetadata: []*thriftgen.ColumnDef{cd}, RowCacheSize: fp(25), GcGraceSeconds: ip(1)}); err != nil {
		t.Fatal(err)
	}
	if d := findCf(t, s, "Keyspace1", "NewColumnFamily"); *d.GcGraceSeconds != 1 {
		t.Errorf("gc_grace_seconds %d", *d.GcGraceSeconds)
	}
	if _, err := s.DropTable("Keyspace1", "NewColumnFamily"); err != nil {
		t.Fatal(err)
	}
	if findCf(t, s, "Keyspace1", "NewColumnFamily") != nil || findCf(t, s, "Keyspace1", "Standard1") == nil {
		t.Error("drop")
	}
	// A LongType CF gains a validator through describe → modify → update.
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "NewLongColumnFamily", ComparatorType: "LongType"}); err != nil {
		t.Fatal(err)
	}
	d := findCf(t, s, "Keyspace1", "NewLongColumnFamily")
	d.ColumnMetadata = []*thriftgen.ColumnDef{col(long(3), "LongType")}
	if _, err := s.UpdateTable(d); err != nil {
		t.Fatal(err)
	}
	if d := findCf(t, s, "Keyspace1", "NewLongColumnFamily"); string(d.ColumnMetadata[0].Name) != string(long(3)) {
		t.Errorf("column_metadata %v", d.ColumnMetadata)
	}
	// An update that leaves comparator_type out of a LongType CF fails.
	_, err = s.UpdateTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "NewLongColumnFamily"})
	if why(t, err) != "comparators do not match or are not compatible." {
		t.Errorf("got %v", err)
	}
}

func TestSystemTestDynamicIndexes(t *testing.T) {
	s := systemTestSchema(t)
	keys := thriftgen.IndexType_KEYS
	mustOK := func(_ *Change, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustOK(s.AddTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "BlankCF"}))
	mustOK(s.UpdateTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "BlankCF", ID: ip(1000),
		ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("birthdate"), "BytesType", keys, nil)}}))
	mustOK(s.AddTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "BlankCF2", ColumnMetadata: []*thriftgen.ColumnDef{
		idx([]byte("birthdate"), "BytesType", keys, nil), idx([]byte("age"), "BytesType", keys, sp("age_index"))}}))
	d := findCf(t, s, "Keyspace1", "BlankCF2")
	d.ColumnMetadata = append(d.ColumnMetadata, idx([]byte("name"), "BytesType", keys, sp("name_index")))
	ch, err := s.UpdateTable(d)
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Updated[0].IndexesChanged || len(ch.New.Table("Keyspace1", "BlankCF2").IndexedColumns()) != 3 {
		t.Errorf("third index: %+v", ch.Updated[0])
	}
	d = findCf(t, s, "Keyspace1", "BlankCF2")
	d.ColumnMetadata = []*thriftgen.ColumnDef{col([]byte("birthdate"), "BytesType"), col([]byte("age"), "BytesType"), col([]byte("name"), "BytesType")}
	mustOK(s.UpdateTable(d))
	if len(s.Current().Table("Keyspace1", "BlankCF2").IndexedColumns()) != 0 {
		t.Error("indexes not dropped")
	}
	// With the indexes gone their names are free again.
	mustOK(s.AddTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "Reuse", ColumnMetadata: []*thriftgen.ColumnDef{
		idx([]byte("a"), "BytesType", keys, sp("age_index"))}}))
	d = findCf(t, s, "Keyspace1", "BlankCF")
	d.ColumnMetadata = []*thriftgen.ColumnDef{col([]byte("birthdate"), "BytesType")}
	mustOK(s.UpdateTable(d))
	mustOK(s.DropTable("Keyspace1", "BlankCF"))
	mustOK(s.DropTable("Keyspace1", "BlankCF2"))

	// test_dynamic_indexes_with_system_update_cf: add a named index to an existing column.
	mustOK(s.AddTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "ToBeIndexed", DefaultValidationClass: sp("LongType"),
		ColumnMetadata: []*thriftgen.ColumnDef{col([]byte("birthdate"), "BytesType")}}))
	mustOK(s.UpdateTable(&thriftgen.CfDef{Keyspace: "Keyspace1", Name: "ToBeIndexed",
		ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("birthdate"), "BytesType", keys, sp("bd_index"))}}))
	got := findCf(t, s, "Keyspace1", "ToBeIndexed").ColumnMetadata[0]
	if *got.IndexType != keys || *got.IndexName != "bd_index" {
		t.Errorf("described index %+v", got)
	}
	// The update left default_validation_class out, so it is BytesType again.
	if c := s.Current().Table("Keyspace1", "ToBeIndexed").DefaultValidator.Class(); c != m+"BytesType" {
		t.Errorf("default validator %s", c)
	}
}

func TestSystemTestKeyspaceOperations(t *testing.T) {
	s := systemTestSchema(t)
	if _, err := s.AddKeyspace(&thriftgen.KsDef{Name: "CreateKeyspace", StrategyClass: "org.apache.cassandra.locator.SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "10"}, DurableWrites: true,
		CfDefs: []*thriftgen.CfDef{{Keyspace: "CreateKeyspace", Name: "CreateKsCf"}}}); err != nil {
		t.Fatal(err)
	}
	if findCf(t, s, "CreateKeyspace", "CreateKsCf") == nil {
		t.Fatal("cf missing")
	}
	mod := &thriftgen.KsDef{Name: "CreateKeyspace", StrategyClass: "org.apache.cassandra.locator.OldNetworkTopologyStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*thriftgen.CfDef{}, DurableWrites: true}
	if _, err := s.UpdateKeyspace(mod); err != nil {
		t.Fatal(err)
	}
	got := s.Current().Keyspace("CreateKeyspace").Def()
	if got.StrategyClass != mod.StrategyClass || len(got.StrategyOptions) != 1 || got.StrategyOptions["replication_factor"] != "1" {
		t.Errorf("after update %+v", got)
	}
	if _, err := s.DropKeyspace("CreateKeyspace"); err != nil {
		t.Fatal(err)
	}
	if s.Current().Keyspace("CreateKeyspace") != nil {
		t.Error("still there")
	}
	// test_invalid_cf_names inside a new keyspace.
	_, err := s.AddKeyspace(simpleKs("ValidKsName_invalid_cf", cf("ValidKsName_invalid_cf", "in-valid")))
	if why(t, err) != `ColumnFamily name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "in-valid")` {
		t.Errorf("got %v", err)
	}
	// test_system_cf_recreate: drop and re-create, twice.
	for i := 0; i < 2; i++ {
		if _, err := s.AddKeyspace(simpleKs("test_cf_recreate", cf("test_cf_recreate", "recreate_cf"))); err != nil {
			t.Fatal(err)
		}
		old := s.Current().Table("test_cf_recreate", "recreate_cf")
		if _, err := s.DropTable("test_cf_recreate", "recreate_cf"); err != nil {
			t.Fatal(err)
		}
		ch, err := s.AddTable(cf("test_cf_recreate", "recreate_cf"))
		if err != nil {
			t.Fatal(err)
		}
		if ch.Created[0].ID == old.ID {
			t.Error("re-created table kept its ID")
		}
		if _, err := s.DropKeyspace("test_cf_recreate"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSystemTestColumnValidators(t *testing.T) {
	s := systemTestSchema(t)
	cd := col([]byte("col"), "LongType")
	for _, def := range []*thriftgen.CfDef{
		{Keyspace: "Keyspace1", Name: "ValidatorColumnFamily", ColumnMetadata: []*thriftgen.ColumnDef{cd}},
		{Keyspace: "Keyspace1", Name: "ValidatorSuperColumnFamily", ColumnType: "Super", ColumnMetadata: []*thriftgen.ColumnDef{cd}},
		{Keyspace: "Keyspace1", Name: "DefaultValidatorColumnFamily", ColumnMetadata: []*thriftgen.ColumnDef{cd}, DefaultValidationClass: sp("UTF8Type")},
	} {
		if _, err := s.AddTable(def); err != nil {
			t.Fatal(err)
		}
	}
	c := s.Current()
	for _, tt := range []struct{ cf, name, want string }{
		{"ValidatorColumnFamily", "col", "LongType"},
		{"ValidatorColumnFamily", "other", "BytesType"},
		{"ValidatorSuperColumnFamily", "col", "LongType"},
		{"DefaultValidatorColumnFamily", "col", "LongType"},
		{"DefaultValidatorColumnFamily", "fcol", "UTF8Type"},
	} {
		if got := c.Table("Keyspace1", tt.cf).ValueValidator([]byte(tt.name)).Class(); got != m+tt.want {
			t.Errorf("%s/%s validator %s, want %s", tt.cf, tt.name, got, tt.want)
		}
	}
}
