package server_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// system_* methods and their effect on data.

func ksDef(name, strategy string, opts map[string]string, cfs ...*tg.CfDef) *tg.KsDef {
	if cfs == nil {
		cfs = []*tg.CfDef{}
	}
	return &tg.KsDef{Name: name, StrategyClass: strategy, StrategyOptions: opts, CfDefs: cfs, DurableWrites: true}
}

func cfDef(ks, name string) *tg.CfDef {
	d := tg.NewCfDef()
	d.Keyspace, d.Name = ks, name
	return d
}

var rf1 = map[string]string{"replication_factor": "1"}

const simple = "org.apache.cassandra.locator.SimpleStrategy"

func findCf(t testing.TB, ks *tg.KsDef, name string) *tg.CfDef {
	t.Helper()
	for _, cf := range ks.CfDefs {
		if cf.Name == name {
			return cf
		}
	}
	return nil
}

func TestSystemKeyspaceOperations(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// A large RF on one node is accepted.
	_, err := c.SystemAddKeyspace(ctx, ksDef("CreateKeyspace", simple, map[string]string{"replication_factor": "10"}, cfDef("CreateKeyspace", "CreateKsCf")))
	must(t, err)
	ks, err := c.DescribeKeyspace(ctx, "CreateKeyspace")
	must(t, err)
	if findCf(t, ks, "CreateKsCf") == nil {
		t.Fatalf("cf missing: %v", ks)
	}
	must(t, c.SetKeyspace(ctx, "CreateKeyspace"))
	mod := ksDef("CreateKeyspace", "org.apache.cassandra.locator.OldNetworkTopologyStrategy", rf1)
	_, err = c.SystemUpdateKeyspace(ctx, mod)
	must(t, err)
	ks, err = c.DescribeKeyspace(ctx, "CreateKeyspace")
	must(t, err)
	if ks.StrategyClass != mod.StrategyClass || fmt.Sprint(ks.StrategyOptions) != fmt.Sprint(mod.StrategyOptions) {
		t.Fatalf("after update: %v", ks)
	}
	_, err = c.SystemUpdateKeyspace(ctx, ksDef("CreateKeyspace", simple, map[string]string{}))
	mustIRE(t, err, "SimpleStrategy requires a replication_factor strategy option.")
	_, err = c.SystemDropKeyspace(ctx, "CreateKeyspace")
	must(t, err)
	_, err = c.DescribeKeyspace(ctx, "CreateKeyspace")
	mustNFE(t, err)
	_, err = c.SystemAddKeyspace(ctx, ksDef("InvalidKeyspace", simple, map[string]string{}))
	mustIRE(t, err, "SimpleStrategy requires a replication_factor strategy option.")
	// The dropped session keyspace makes data calls fail with P2 wording.
	_, err = c.GetSlice(ctx, []byte("k"), parent("CreateKsCf"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "Keyspace CreateKeyspace does not exist")
}

func TestSystemKeyspaceErrors(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, tc := range []struct {
		name string
		call func() error
		why  string
	}{
		{"invalid name", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("in-valid", simple, rf1))
			return err
		}, `Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "in-valid")`},
		{"unknown strategy", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("ValidKs", "InvalidStrategyClass", map[string]string{}))
			return err
		}, "Unable to find replication strategy class 'org.apache.cassandra.locator.InvalidStrategyClass'"},
		{"system keyspace", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("SYSTEM", simple, rf1))
			return err
		}, "system keyspace is not user-modifiable"},
		{"drop system", func() error {
			_, err := c.SystemDropKeyspace(ctx, "system")
			return err
		}, "system keyspace is not user-modifiable"},
		{"case-insensitive duplicate", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("keyspace1", simple, rf1))
			return err
		}, `Keyspace names must be case-insensitively unique ("keyspace1" conflicts with "Keyspace1")`},
		{"exact duplicate", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("Keyspace1", simple, rf1))
			return err
		}, `Keyspace names must be case-insensitively unique ("Keyspace1" conflicts with "Keyspace1")`},
		{"cf of another keyspace", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("NewKs", simple, rf1, cfDef("Other", "cf")))
			return err
		}, "CfDef (cf) had a keyspace definition that did not match KsDef"},
		{"invalid cf inside new ks", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("NewKs", simple, rf1, cfDef("NewKs", "in-valid")))
			return err
		}, `ColumnFamily name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "in-valid")`},
		{"drop missing", func() error {
			_, err := c.SystemDropKeyspace(ctx, "Nope")
			return err
		}, "Cannot drop non existing keyspace 'Nope'."},
		{"update missing", func() error {
			_, err := c.SystemUpdateKeyspace(ctx, ksDef("Nope", simple, rf1))
			return err
		}, "Keyspace Nope does not exist"},
		{"update with tables", func() error {
			_, err := c.SystemUpdateKeyspace(ctx, ksDef("Keyspace1", simple, rf1, cfDef("Keyspace1", "X")))
			return err
		}, "Keyspace update must not contain any table definitions."},
		{"update to unknown strategy", func() error {
			_, err := c.SystemUpdateKeyspace(ctx, ksDef("Keyspace2", "InvalidStrategyClass", map[string]string{}))
			return err
		}, "Unable to find replication strategy class 'org.apache.cassandra.locator.InvalidStrategyClass'"},
		{"local strategy", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("Loc", "LocalStrategy", map[string]string{}))
			return err
		}, "Unable to use given strategy class: LocalStrategy is reserved for internal use."},
		{"bad rf", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("Rf", simple, map[string]string{"replication_factor": "x"}))
			return err
		}, "Replication factor must be numeric; found x"},
		{"unknown option", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("Rf", simple, map[string]string{"replication_factor": "1", "foo": "bar"}))
			return err
		}, "Unrecognized strategy option {foo} passed to SimpleStrategy for keyspace Rf"},
	} {
		t.Run(tc.name, func(t *testing.T) { mustIRE(t, tc.call(), tc.why) })
	}
}

func TestSystemColumnFamilyOperations(t *testing.T) {
	c := dtestClient(t, server.Config{})
	cd := &tg.ColumnDef{Name: []byte("ValidationColumn"), ValidationClass: "BytesType"}
	newcf := cfDef("Keyspace1", "NewColumnFamily")
	newcf.ColumnMetadata = []*tg.ColumnDef{cd}
	_, err := c.SystemAddColumnFamily(ctx, newcf)
	must(t, err)
	ks, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	if findCf(t, ks, "NewColumnFamily") == nil {
		t.Fatal("cf not created")
	}
	mod := cfDef("Keyspace1", "NewColumnFamily")
	mod.ColumnMetadata = []*tg.ColumnDef{cd}
	mod.ComparatorType = "LongType"
	_, err = c.SystemUpdateColumnFamily(ctx, mod)
	// The column_metadata is converted (and its names validated under the
	// new comparator) before the compatibility check runs.
	mustIRE(t, err, "Column name 56616c69646174696f6e436f6c756d6e is not valid for comparator org.apache.cassandra.db.marshal.LongType")
	mod.ColumnMetadata = nil
	_, err = c.SystemUpdateColumnFamily(ctx, mod)
	mustIRE(t, err, "comparators do not match or are not compatible.")
	mod.ColumnMetadata = []*tg.ColumnDef{cd}
	mod.ComparatorType = "BytesType"
	mod.GcGraceSeconds = i32p(1)
	_, err = c.SystemUpdateColumnFamily(ctx, mod)
	must(t, err)
	ks, err = c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	if findCf(t, ks, "NewColumnFamily").GetGcGraceSeconds() != 1 {
		t.Fatal("gc_grace_seconds not updated")
	}
	_, err = c.SystemDropColumnFamily(ctx, "NewColumnFamily")
	must(t, err)
	ks, err = c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	if findCf(t, ks, "NewColumnFamily") != nil || findCf(t, ks, "Standard1") == nil {
		t.Fatal("drop removed the wrong tables")
	}
	// A LongType CF; describe, modify, update (the usual pattern).
	_, err = c.SystemAddColumnFamily(ctx, func() *tg.CfDef {
		d := cfDef("Keyspace1", "NewLongColumnFamily")
		d.ComparatorType = "LongType"
		return d
	}())
	must(t, err)
	ks, err = c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	m := findCf(t, ks, "NewLongColumnFamily")
	m.ColumnMetadata = []*tg.ColumnDef{{Name: longBytes(3), ValidationClass: "LongType"}}
	_, err = c.SystemUpdateColumnFamily(ctx, m)
	must(t, err)
	ks, err = c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	if got := findCf(t, ks, "NewLongColumnFamily").ColumnMetadata; len(got) != 1 || string(got[0].Name) != string(longBytes(3)) {
		t.Fatalf("column_metadata %v", got)
	}
	// Leaving comparator_type out of a LongType CF's update fails.
	_, err = c.SystemUpdateColumnFamily(ctx, cfDef("Keyspace1", "NewLongColumnFamily"))
	mustIRE(t, err, "comparators do not match or are not compatible.")
	// Super CF create and drop.
	sd := cfDef("Keyspace1", "NewSuperColumnFamily")
	sd.ColumnType = "Super"
	sd.ColumnMetadata = []*tg.ColumnDef{cd}
	_, err = c.SystemAddColumnFamily(ctx, sd)
	must(t, err)
	_, err = c.SystemDropColumnFamily(ctx, "NewSuperColumnFamily")
	must(t, err)
}

func TestSystemColumnFamilyErrors(t *testing.T) {
	c := dtestClient(t, server.Config{})
	add := func(d *tg.CfDef) error { _, err := c.SystemAddColumnFamily(ctx, d); return err }
	dup := cfDef("Keyspace1", "BadCF")
	dup.ColumnMetadata = []*tg.ColumnDef{
		{Name: []byte("foo"), ValidationClass: "BytesType", IndexType: tg.IndexTypePtr(tg.IndexType_KEYS), IndexName: strp("i")},
		{Name: []byte("bar"), ValidationClass: "BytesType", IndexType: tg.IndexTypePtr(tg.IndexType_KEYS), IndexName: strp("i")},
	}
	mustIRE(t, add(dup), "Duplicate index name i")
	mustIRE(t, add(cfDef("Keyspace1", "in-valid")),
		`ColumnFamily name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "in-valid")`)
	mustIRE(t, add(cfDef("Nope", "X")), "Cannot add table 'X' to non existing keyspace 'Nope'.")
	mustIRE(t, add(cfDef("Keyspace1", "Standard1")), `Cannot add already existing table "Standard1" to keyspace "Keyspace1"`)
	bad := cfDef("Keyspace1", "X")
	bad.ColumnType = "Bogus"
	mustIRE(t, add(bad), "Invalid column type Bogus")
	bad = cfDef("Keyspace1", "X")
	bad.ComparatorType = "NoSuchType"
	mustIRE(t, add(bad), "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.NoSuchType'")
	bad = cfDef("Keyspace1", "X")
	bad.ComparatorType = "CounterColumnType"
	mustIRE(t, add(bad), "CounterColumnType is not a valid comparator")
	bad = cfDef("Keyspace1", "X")
	bad.ColumnType = "Super"
	bad.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: tg.IndexTypePtr(tg.IndexType_KEYS)}}
	mustIRE(t, add(bad), "Secondary indexes are not supported on super column families")
	bad = cfDef("Keyspace1", "X")
	bad.MinCompactionThreshold = i32p(1)
	mustIRE(t, add(bad), "Min compaction threshold cannot be less than 2 (got 1).")
	_, err := c.SystemDropColumnFamily(ctx, "Nope")
	mustIRE(t, err, "unconfigured table Nope")
	_, err = c.SystemUpdateColumnFamily(ctx, cfDef("Keyspace1", ""))
	mustIRE(t, err, "Keyspace and CF name must be set.")
	// system_add_column_family needs a session keyspace.
	c2 := dial(t, c.addr)
	mustIRE(t, func() error { _, err := c2.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "Y")); return err }(),
		"No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
	_, err = c2.SystemDropColumnFamily(ctx, "Standard1")
	mustIRE(t, err, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}

func TestDynamicIndexesCreationDeletion(t *testing.T) {
	c := dtestClient(t, server.Config{})
	keys := tg.IndexTypePtr(tg.IndexType_KEYS)
	_, err := c.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "BlankCF"))
	must(t, err)
	m := cfDef("Keyspace1", "BlankCF")
	m.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "BytesType", IndexType: keys}}
	_, err = c.SystemUpdateColumnFamily(ctx, m)
	must(t, err)
	b2 := cfDef("Keyspace1", "BlankCF2")
	b2.ColumnMetadata = []*tg.ColumnDef{
		{Name: []byte("birthdate"), ValidationClass: "BytesType", IndexType: keys},
		{Name: []byte("age"), ValidationClass: "BytesType", IndexType: keys, IndexName: strp("age_index")},
	}
	_, err = c.SystemAddColumnFamily(ctx, b2)
	must(t, err)
	ks, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	// Default index names are <cf>_<name>_idx (hex for BytesType names),
	// made unique within the keyspace.
	names := map[string]bool{}
	for _, cf := range []string{"BlankCF", "BlankCF2"} {
		for _, cd := range findCf(t, ks, cf).ColumnMetadata {
			names[cd.GetIndexName()] = true
		}
	}
	for _, want := range []string{"BlankCF_626972746864617465_idx", "BlankCF2_626972746864617465_idx", "age_index"} {
		if !names[want] {
			t.Errorf("index name %q missing from %v", want, names)
		}
	}
	d := findCf(t, ks, "BlankCF2")
	d.ColumnMetadata = append(d.ColumnMetadata, &tg.ColumnDef{Name: []byte("name"), ValidationClass: "BytesType", IndexType: keys, IndexName: strp("name_index")})
	_, err = c.SystemUpdateColumnFamily(ctx, d)
	must(t, err)
	d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "BytesType"}, {Name: []byte("age"), ValidationClass: "BytesType"}, {Name: []byte("name"), ValidationClass: "BytesType"}}
	_, err = c.SystemUpdateColumnFamily(ctx, d)
	must(t, err)
	_, err = c.SystemDropColumnFamily(ctx, "BlankCF")
	must(t, err)
	_, err = c.SystemDropColumnFamily(ctx, "BlankCF2")
	must(t, err)
}

func TestColumnValidators(t *testing.T) {
	c := dtestClient(t, server.Config{})
	cd := &tg.ColumnDef{Name: []byte("col"), ValidationClass: "LongType"}
	d := cfDef("Keyspace1", "ValidatorColumnFamily")
	d.ColumnMetadata = []*tg.ColumnDef{cd}
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	col0 := bcol([]byte("col"), string(longBytes(42)), 0)
	col1 := col("col", "ceci n'est pas 64bit", 0)
	c.insert(t, "key0", parent("ValidatorColumnFamily"), col0)
	mustIRE(t, c.Insert(ctx, []byte("key1"), parent("ValidatorColumnFamily"), col1, ONE),
		"(Expected 8 or 0 byte long (20)) [Keyspace1][ValidatorColumnFamily][636f6c] failed validation")
	sd := cfDef("Keyspace1", "ValidatorSuperColumnFamily")
	sd.ColumnType = "Super"
	sd.ColumnMetadata = []*tg.ColumnDef{cd}
	_, err = c.SystemAddColumnFamily(ctx, sd)
	must(t, err)
	c.insert(t, "key0", superParent("ValidatorSuperColumnFamily", []byte("sc1")), col0)
	if err := c.Insert(ctx, []byte("key1"), superParent("ValidatorSuperColumnFamily", []byte("sc1")), col1, ONE); err == nil {
		t.Fatal("super column value not validated")
	}
	dd := cfDef("Keyspace1", "DefaultValidatorColumnFamily")
	dd.ColumnMetadata = []*tg.ColumnDef{cd}
	dd.DefaultValidationClass = strp("UTF8Type")
	_, err = c.SystemAddColumnFamily(ctx, dd)
	must(t, err)
	p := parent("DefaultValidatorColumnFamily")
	c.insert(t, "key0", p, col0)
	if err := c.Insert(ctx, []byte("key1"), p, col1, ONE); err == nil {
		t.Fatal("column validator ignored")
	}
	mustIRE(t, c.Insert(ctx, []byte("key1"), p, bcol([]byte("fcol"), "\xff\xfe", 0), ONE),
		"(String didn't validate.) [Keyspace1][DefaultValidatorColumnFamily][66636f6c] failed validation")
	c.insert(t, "key0", p, col("fcol", "Stringin' it up in the Stringtel Stringifornia", 0))
}

func TestDropAndRecreateStartsEmpty(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for x := 0; x < 2; x++ {
		newcf := cfDef("test_cf_recreate", "recreate_cf")
		_, err := c.SystemAddKeyspace(ctx, ksDef("test_cf_recreate", simple, rf1, newcf))
		must(t, err)
		must(t, c.SetKeyspace(ctx, "test_cf_recreate"))
		c.insert(t, "key0", parent("recreate_cf"), col("colA", "colA-value", 0))
		if got := c.bigSlice(t, "key0", parent("recreate_cf")); len(got) != 1 {
			t.Fatalf("insert: %v", got)
		}
		_, err = c.SystemDropColumnFamily(ctx, "recreate_cf")
		must(t, err)
		_, err = c.SystemAddColumnFamily(ctx, newcf)
		must(t, err)
		if got := c.bigSlice(t, "key0", parent("recreate_cf")); len(got) != 0 {
			t.Fatalf("recreated cf not empty: %v", got)
		}
		c.insert(t, "key0", parent("recreate_cf"), col("colB", "v", 0))
		_, err = c.SystemDropKeyspace(ctx, "test_cf_recreate")
		must(t, err)
	}
}

func TestSchemaVersions(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	other, _ := startAndDial(t, server.Config{})
	version := func(c *client) string {
		t.Helper()
		m, err := c.DescribeSchemaVersions(ctx)
		must(t, err)
		if len(m) != 1 {
			t.Fatalf("schema versions %v", m)
		}
		for v, hosts := range m {
			if len(hosts) != 1 || hosts[0] != "127.0.0.1" {
				t.Fatalf("hosts %v", hosts)
			}
			return v
		}
		return ""
	}
	v0 := version(c)
	if v0 != version(other) {
		t.Fatal("identical schemas have different versions")
	}
	seen := map[string]bool{v0: true}
	step := func(v string, err error) {
		t.Helper()
		must(t, err)
		if len(v) != 36 || v != version(c) {
			t.Fatalf("system_* returned %q, describe_schema_versions %q", v, version(c))
		}
		if seen[v] {
			t.Fatalf("version %s repeated after a change", v)
		}
		seen[v] = true
	}
	step(c.SystemAddKeyspace(ctx, ksDef("Ks", simple, rf1)))
	must(t, c.SetKeyspace(ctx, "Ks"))
	step(c.SystemAddColumnFamily(ctx, cfDef("Ks", "Cf")))
	upd := cfDef("Ks", "Cf")
	upd.Comment = strp("changed")
	step(c.SystemUpdateColumnFamily(ctx, upd))
	step(c.SystemUpdateKeyspace(ctx, ksDef("Ks", simple, map[string]string{"replication_factor": "2"})))
	step(c.SystemDropColumnFamily(ctx, "Cf"))
}

// TestSchemaChangesUnderLoad races writes and reads against drops and
// re-creations of their column family: every call either works or fails
// with unconfigured table, and nothing panics or deadlocks.
func TestSchemaChangesUnderLoad(t *testing.T) {
	c := dtestClient(t, server.Config{})
	addr := c.addr
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 4; w++ {
		wc := dial(t, addr)
		must(t, wc.SetKeyspace(ctx, "Keyspace1"))
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if i%2 == 0 {
					err = wc.Insert(ctx, []byte(fmt.Sprint("k", w, i)), parent("Churn"), col("c", "v", 1), ONE)
				} else {
					_, err = wc.GetRangeSlices(ctx, parent("Churn"), columnRange("", "", false, 10), keyRange("", "", 10), ONE)
				}
				var ire *tg.InvalidRequestException
				if err != nil && (!errors.As(err, &ire) || ire.Why != "unconfigured table Churn") {
					errs <- err
					return
				}
			}
		}(w)
	}
	for i := 0; i < 30; i++ {
		_, err := c.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "Churn"))
		must(t, err)
		_, err = c.SystemDropColumnFamily(ctx, "Churn")
		must(t, err)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSystemKeyspaceNotModifiableThroughTables(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// Cassandra's access check uses the session keyspace...
	must(t, c.SetKeyspace(ctx, "system"))
	_, err := c.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "X"))
	mustIRE(t, err, "system keyspace is not user-modifiable.")
	// ...and the target keyspace is guarded as well.
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	_, err = c.SystemAddColumnFamily(ctx, cfDef("system", "X"))
	mustIRE(t, err, "system keyspace is not user-modifiable.")
	// Keyspace-level calls use the schema's own check (no full stop).
	_, err = c.SystemUpdateKeyspace(ctx, ksDef("system", simple, rf1))
	mustIRE(t, err, "system keyspace is not user-modifiable")
	// The system keyspace has no Thrift-visible tables to drop or alter.
	must(t, c.SetKeyspace(ctx, "system"))
	_, err = c.SystemDropColumnFamily(ctx, "local")
	mustIRE(t, err, "unconfigured table local")
}
