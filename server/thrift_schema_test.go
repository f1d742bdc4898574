package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The system_* schema calls: adding, updating and dropping keyspaces and
// column families, index names, schema versions, and their effect on data.

func TestThriftSystemKeyspaceOperations(t *testing.T) {
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
	// The dropped session keyspace makes data calls fail with the table
	// check's wording (ThriftValidation.validateColumnFamily).
	_, err = c.GetSlice(ctx, []byte("k"), parent("CreateKsCf"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "Keyspace CreateKeyspace does not exist")
}

func TestThriftSystemKeyspaceErrors(t *testing.T) {
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
		// 3.11's validateKeyspaceNotSystem names the keyspace as given.
		{"system keyspace", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("SYSTEM", simple, rf1))
			return err
		}, "SYSTEM keyspace is not user-modifiable"},
		{"system_schema keyspace", func() error {
			_, err := c.SystemAddKeyspace(ctx, ksDef("system_schema", simple, rf1))
			return err
		}, "system_schema keyspace is not user-modifiable"},
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

func TestThriftKeyspaceValidation(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	add := func(ks *tg.KsDef) error { _, err := c.SystemAddKeyspace(ctx, ks); return err }
	_, err := c.SystemAddKeyspace(ctx, ksDef("Keyspace1", simple, rf1))
	must(t, err)
	name48 := strings.Repeat("k", 48)
	nts := "NetworkTopologyStrategy"
	runErrCases(t, []errCase{
		{"system upper case", func() error { return add(ksDef("SYSTEM", simple, rf1)) }, "SYSTEM keyspace is not user-modifiable"},
		{"system before bad name", func() error { return add(ksDef("System", "Bogus", nil)) }, "System keyspace is not user-modifiable"},
		{"exact duplicate", func() error { return add(ksDef("Keyspace1", simple, rf1)) },
			`Keyspace names must be case-insensitively unique ("Keyspace1" conflicts with "Keyspace1")`},
		{"case duplicate", func() error { return add(ksDef("KEYSPACE1", simple, rf1)) },
			`Keyspace names must be case-insensitively unique ("KEYSPACE1" conflicts with "Keyspace1")`},
		{"duplicate before cf keyspace", func() error { return add(ksDef("keyspace1", simple, rf1, cfDef("Other", "cf"))) },
			`Keyspace names must be case-insensitively unique ("keyspace1" conflicts with "Keyspace1")`},
		{"cf keyspace before strategy", func() error { return add(ksDef("New", "Bogus", nil, cfDef("Other", "cf"))) },
			"CfDef (cf) had a keyspace definition that did not match KsDef"},
		{"cf types before strategy", func() error {
			d := cfDef("New", "cf")
			d.ComparatorType = "Nope"
			return add(ksDef("New", "Bogus", nil, d))
		}, "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.Nope'"},
		{"strategy before name", func() error { return add(ksDef("in-valid", "Bogus", nil)) },
			"Unable to find replication strategy class 'org.apache.cassandra.locator.Bogus'"},
		{"dotted strategy used as given", func() error { return add(ksDef("New", "com.example.Bogus", nil)) },
			"Unable to find replication strategy class 'com.example.Bogus'"},
		{"name before options", func() error { return add(ksDef("in-valid", simple, nil)) },
			`Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "in-valid")`},
		{"empty name", func() error { return add(ksDef("", simple, rf1)) },
			`Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "")`},
		{"49 chars", func() error { return add(ksDef(name48+"k", simple, rf1)) },
			`Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "` + name48 + `k")`},
		{"48 chars ok", func() error { return add(ksDef(name48, simple, rf1)) }, ""},
		{"missing rf", func() error { return add(ksDef("New", simple, map[string]string{})) },
			"SimpleStrategy requires a replication_factor strategy option."},
		{"negative rf", func() error { return add(ksDef("New", simple, map[string]string{"replication_factor": "-1"})) },
			"Replication factor must be non-negative; found -1"},
		{"unknown option", func() error {
			return add(ksDef("New", simple, map[string]string{"replication_factor": "1", "foo": "x"}))
		}, "Unrecognized strategy option {foo} passed to SimpleStrategy for keyspace New"},
		{"nts non-numeric", func() error { return add(ksDef("New", nts, map[string]string{"dc1": "x"})) },
			"Replication factor must be numeric; found x"},
		{"nts ok, any dc", func() error { return add(ksDef("NtsKs", nts, map[string]string{"dc9": "3"})) }, ""},
		{"rf 10 ok", func() error { return add(ksDef("Big", simple, map[string]string{"replication_factor": "10"})) }, ""},
		{"cf validation", func() error {
			d := cfDef("New", "cf")
			d.MinCompactionThreshold = i32p(1)
			return add(ksDef("New", simple, rf1, d))
		}, "Min compaction threshold cannot be less than 2 (got 1)"}, // 3.11's CompactionParams.validate
		{"drop system", func() error { _, err := c.SystemDropKeyspace(ctx, "system"); return err }, "system keyspace is not user-modifiable"},
		{"update system", func() error { _, err := c.SystemUpdateKeyspace(ctx, ksDef("System", simple, rf1)); return err },
			"System keyspace is not user-modifiable"},
		{"update system_schema", func() error {
			_, err := c.SystemUpdateKeyspace(ctx, ksDef("system_schema", simple, rf1))
			return err
		}, "system_schema keyspace is not user-modifiable"},
		{"drop system_schema", func() error { _, err := c.SystemDropKeyspace(ctx, "system_schema"); return err },
			"system_schema keyspace is not user-modifiable"},
		// ClientState's ALTERABLE_SYSTEM_KEYSPACES (system_distributed since
		// 3.11.3) may be altered, not dropped.
		{"drop system_distributed", func() error { _, err := c.SystemDropKeyspace(ctx, "system_distributed"); return err },
			"Cannot DROP <keyspace system_distributed>"},
		{"update missing", func() error { _, err := c.SystemUpdateKeyspace(ctx, ksDef("Nope", simple, rf1)); return err },
			"Keyspace Nope does not exist"},
		{"update with cfs", func() error {
			_, err := c.SystemUpdateKeyspace(ctx, ksDef("Keyspace1", simple, rf1, cfDef("Keyspace1", "x")))
			return err
		}, "Keyspace update must not contain any table definitions."},
		{"update bad strategy", func() error { _, err := c.SystemUpdateKeyspace(ctx, ksDef("Keyspace1", "Bogus", nil)); return err },
			"Unable to find replication strategy class 'org.apache.cassandra.locator.Bogus'"},
		{"drop missing", func() error { _, err := c.SystemDropKeyspace(ctx, "Nope"); return err }, "Cannot drop non existing keyspace 'Nope'."},
		{"drop is case-sensitive", func() error { _, err := c.SystemDropKeyspace(ctx, "keyspace1"); return err },
			"Cannot drop non existing keyspace 'keyspace1'."},
	})
	// NTS options and the strategy class come back as stored, fully qualified.
	ks, err := c.DescribeKeyspace(ctx, "NtsKs")
	must(t, err)
	if ks.StrategyClass != "org.apache.cassandra.locator.NetworkTopologyStrategy" || len(ks.StrategyOptions) != 1 || ks.StrategyOptions["dc9"] != "3" {
		t.Fatalf("nts describe: %v %v", ks.StrategyClass, ks.StrategyOptions)
	}
	if ks.CfDefs == nil || len(ks.CfDefs) != 0 || !ks.DurableWrites {
		t.Fatalf("nts cf_defs %v durable %v", ks.CfDefs, ks.DurableWrites)
	}
	// durable_writes false is kept; KsDef.replication_factor is ignored.
	kd := ksDef("NotDurable", simple, map[string]string{"replication_factor": "2"})
	kd.DurableWrites = false
	kd.ReplicationFactor = i32p(7)
	_, err = c.SystemAddKeyspace(ctx, kd)
	must(t, err)
	ks, err = c.DescribeKeyspace(ctx, "NotDurable")
	must(t, err)
	if ks.DurableWrites || ks.StrategyOptions["replication_factor"] != "2" || ks.IsSetReplicationFactor() && ks.GetReplicationFactor() == 7 {
		t.Fatalf("NotDurable: %+v", ks)
	}
	// update replaces strategy and options.
	_, err = c.SystemUpdateKeyspace(ctx, ksDef("NotDurable", nts, map[string]string{"datacenter1": "1"}))
	must(t, err)
	ks, err = c.DescribeKeyspace(ctx, "NotDurable")
	must(t, err)
	if ks.StrategyClass != "org.apache.cassandra.locator.NetworkTopologyStrategy" || len(ks.StrategyOptions) != 1 || ks.StrategyOptions["datacenter1"] != "1" {
		t.Fatalf("after update: %v %v", ks.StrategyClass, ks.StrategyOptions)
	}
	// describe_keyspace of an unknown keyspace is NFE, names are case-sensitive.
	_, err = c.DescribeKeyspace(ctx, "keyspace1")
	mustNFE(t, err)
	// The system keyspace can be described, not changed.
	_, err = c.DescribeKeyspace(ctx, "system")
	must(t, err)
}

func TestThriftSystemColumnFamilyOperations(t *testing.T) {
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

func TestThriftSystemColumnFamilyErrors(t *testing.T) {
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
	mustIRE(t, add(bad), "Min compaction threshold cannot be less than 2 (got 1)")
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

func TestThriftAddColumnFamilyChecksSessionKeyspace(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// Cassandra 2.2's system_add_column_family runs hasKeyspaceAccess(state.getKeyspace(),
	// CREATE), and ClientState.preventSystemKSSchemaModification refuses
	// CREATE on the system keyspace, whatever cf_def.keyspace says.
	must(t, c.SetKeyspace(ctx, "system"))
	_, err := c.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "FromSystem"))
	mustIRE(t, err, "system keyspace is not user-modifiable.")
}

func TestThriftColumnFamilyUpdateRules(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// An update replaces the definition: omitted fields fall back to the
	// defaults and omitted column_metadata drops the index.
	d := describeCf(t, c, "Keyspace1", "Indexed1")
	d.Comment = strp("hello")
	d.GcGraceSeconds = i32p(5)
	_, err := c.SystemUpdateColumnFamily(ctx, d)
	must(t, err)
	got := describeCf(t, c, "Keyspace1", "Indexed1")
	if got.GetComment() != "hello" || got.GetGcGraceSeconds() != 5 || len(got.ColumnMetadata) != 1 || got.ColumnMetadata[0].GetIndexName() != "birthdate_index" {
		t.Fatalf("after describe-modify-update: %+v", got)
	}
	// An index def without a name keeps the old name.
	upd := cfDef("Keyspace1", "Indexed1")
	upd.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "LongType", IndexType: tg.IndexTypePtr(tg.IndexType_KEYS)}}
	_, err = c.SystemUpdateColumnFamily(ctx, upd)
	must(t, err)
	got = describeCf(t, c, "Keyspace1", "Indexed1")
	if got.GetComment() != "" || got.GetGcGraceSeconds() != 864000 {
		t.Fatalf("omitted fields not reset: comment %q gc %d", got.GetComment(), got.GetGcGraceSeconds())
	}
	if len(got.ColumnMetadata) != 1 || got.ColumnMetadata[0].GetIndexName() != "birthdate_index" {
		t.Fatalf("index name not kept: %v", got.ColumnMetadata)
	}
	upd.ColumnMetadata[0].IndexName = strp("other")
	_, err = c.SystemUpdateColumnFamily(ctx, upd)
	mustIRE(t, err, "Can't modify index name: was 'birthdate_index' changed to 'other'.")
	// Dropping the metadata drops the index.
	c.insert(t, "k", parent("Indexed1"), bcol([]byte("birthdate"), string(longBytes(1)), 1))
	_, err = c.SystemUpdateColumnFamily(ctx, cfDef("Keyspace1", "Indexed1"))
	must(t, err)
	got = describeCf(t, c, "Keyspace1", "Indexed1")
	if got.ColumnMetadata == nil || len(got.ColumnMetadata) != 0 {
		t.Fatalf("column_metadata after drop: %v", got.ColumnMetadata)
	}
	_, err = c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 10, eqExpr("birthdate", longBytes(1))), names("birthdate"), ONE)
	mustIRE(t, err, "No indexed columns present in index clause with operator EQ")
	// Data survives a schema update.
	assertColumn(t, c, "Indexed1", "k", "birthdate", string(longBytes(1)), 1)

	// Comparator compatibility (CFMetaData.validateCompatility): a type
	// accepts itself, BytesType accepts AsciiType and UTF8Type, UTF8Type
	// accepts AsciiType.
	mk := func(name, comparator string, super bool, sub string) {
		t.Helper()
		d := cfDef("Keyspace1", name)
		d.ComparatorType = comparator
		if super {
			d.ColumnType = "Super"
			d.SubcomparatorType = strp(sub)
		}
		_, err := c.SystemAddColumnFamily(ctx, d)
		must(t, err)
	}
	mk("A2B", "AsciiType", false, "")
	mk("U2B", "UTF8Type", false, "")
	mk("A2U", "AsciiType", false, "")
	mk("U2A", "UTF8Type", false, "")
	mk("B2U", "BytesType", false, "")
	mk("S2S", "BytesType", true, "LongType")
	mk("T2S", "BytesType", false, "")
	incompatible := "comparators do not match or are not compatible."
	upd2 := func(name, comparator string, super bool, sub string) error {
		d := cfDef("Keyspace1", name)
		d.ComparatorType = comparator
		if super {
			d.ColumnType = "Super"
			d.SubcomparatorType = strp(sub)
		}
		_, err := c.SystemUpdateColumnFamily(ctx, d)
		return err
	}
	runErrCases(t, []errCase{
		{"ascii to bytes", func() error { return upd2("A2B", "BytesType", false, "") }, ""},
		{"utf8 to bytes", func() error { return upd2("U2B", "BytesType", false, "") }, ""},
		{"ascii to utf8", func() error { return upd2("A2U", "UTF8Type", false, "") }, ""},
		{"utf8 to ascii", func() error { return upd2("U2A", "AsciiType", false, "") }, incompatible},
		{"bytes to utf8", func() error { return upd2("B2U", "UTF8Type", false, "") }, incompatible},
		{"subcomparator long to bytes", func() error { return upd2("S2S", "BytesType", true, "BytesType") }, incompatible},
		{"super to standard", func() error { return upd2("S2S", "BytesType", false, "") }, "types do not match."},
		{"standard to super", func() error { return upd2("T2S", "BytesType", true, "BytesType") }, "types do not match."},
		{"unknown cf", func() error { return upd2("Nope", "BytesType", false, "") }, "unconfigured table Nope"},
		{"unknown keyspace", func() error {
			d := cfDef("NoKs", "cf")
			_, err := c.SystemUpdateColumnFamily(ctx, d)
			return err
		}, "Keyspace NoKs does not exist"},
	})
	d = describeCf(t, c, "Keyspace1", "A2B")
	if d.ComparatorType != "org.apache.cassandra.db.marshal.BytesType" {
		t.Fatalf("comparator after update %s", d.ComparatorType)
	}
}

func TestThriftDescribeUpdateRoundTrip(t *testing.T) {
	// The usual client pattern: describe, then send the described CfDef
	// back unchanged. Every described value (fully qualified types,
	// KEYS_ONLY, cells_per_row_to_cache "0", the compaction class, index
	// names) must be accepted and describe the same afterwards.
	c := dtestClient(t, server.Config{})
	before, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	for _, cf := range before.CfDefs {
		if _, err := c.SystemUpdateColumnFamily(ctx, cf); err != nil {
			t.Errorf("update %s with its own description: %v", cf.Name, err)
		}
	}
	after, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	for _, b := range before.CfDefs {
		a := findCf(t, after, b.Name)
		if a == nil {
			t.Errorf("%s vanished", b.Name)
			continue
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s changed:\nbefore %s\nafter  %s", b.Name, jsonOf(b), jsonOf(a))
		}
	}
	// The same described CfDefs recreate an identical keyspace elsewhere.
	ks := *before
	ks.Name = "Copy"
	ks.CfDefs = nil
	for _, cf := range before.CfDefs {
		cp := *cf
		cp.Keyspace = "Copy"
		cp.ColumnMetadata = nil // index names are unique per keyspace only
		for _, cd := range cf.ColumnMetadata {
			d := *cd
			d.IndexName = nil
			cp.ColumnMetadata = append(cp.ColumnMetadata, &d)
		}
		ks.CfDefs = append(ks.CfDefs, &cp)
	}
	if _, err := c.SystemAddKeyspace(ctx, &ks); err != nil {
		t.Fatalf("recreate from description: %v", err)
	}
	// describe_keyspace agrees with describe_keyspaces.
	all, err := c.DescribeKeyspaces(ctx)
	must(t, err)
	for _, name := range []string{"system", "Keyspace1", "Copy"} {
		one, err := c.DescribeKeyspace(ctx, name)
		must(t, err)
		found := false
		for _, k := range all {
			if k.Name == name {
				found = true
				if !reflect.DeepEqual(k, one) {
					t.Errorf("%s: describe_keyspace and describe_keyspaces differ", name)
				}
			}
		}
		if !found {
			t.Errorf("%s missing from describe_keyspaces", name)
		}
	}
}

// jsonOf renders a Thrift struct with its pointer fields followed.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestThriftDynamicIndexesCreationDeletion(t *testing.T) {
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

func TestThriftIndexNames(t *testing.T) {
	c := dtestClient(t, server.Config{})
	keys := tg.IndexTypePtr(tg.IndexType_KEYS)
	add := func(d *tg.CfDef) error { _, err := c.SystemAddColumnFamily(ctx, d); return err }
	// Someone else already owns the default name: the new one gets _1.
	taken := cfDef("Keyspace1", "Taker")
	taken.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("x"), ValidationClass: "BytesType", IndexType: keys, IndexName: strp("Clash_61_idx")}}
	must(t, add(taken))
	d := cfDef("Keyspace1", "Clash")
	d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: keys}}
	must(t, add(d))
	if got := describeCf(t, c, "Keyspace1", "Clash").ColumnMetadata[0].GetIndexName(); got != "Clash_61_idx_1" {
		t.Fatalf("clash name %q", got)
	}
	// The comparator renders the name part: AsciiType prints the text.
	d = cfDef("Keyspace1", "Named")
	d.ComparatorType = "AsciiType"
	d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("my col!"), ValidationClass: "BytesType", IndexType: keys}}
	must(t, add(d))
	if got := describeCf(t, c, "Keyspace1", "Named").ColumnMetadata[0].GetIndexName(); got != "Named_mycol_idx" {
		t.Fatalf("ascii default name %q", got)
	}
	d = cfDef("Keyspace1", "Long")
	d.ComparatorType = "LongType"
	d.ColumnMetadata = []*tg.ColumnDef{{Name: longBytes(-3), ValidationClass: "BytesType", IndexType: keys}}
	must(t, add(d))
	if got := describeCf(t, c, "Keyspace1", "Long").ColumnMetadata[0].GetIndexName(); got != "Long_3_idx" {
		t.Fatalf("long default name %q", got)
	}
	runErrCases(t, []errCase{
		{"illegal name", func() error {
			d := cfDef("Keyspace1", "Ill")
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: keys, IndexName: strp("bad-name")}}
			return add(d)
		}, "Illegal index name bad-name"},
		// 3.11's indexDefsFromThrift ignores an index_name without
		// index_type.
		{"name without type", func() error {
			d := cfDef("Keyspace1", "NoType")
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexName: strp("n")}}
			return add(d)
		}, ""},
		{"duplicate across CFs", func() error {
			d := cfDef("Keyspace1", "Dup")
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: keys, IndexName: strp("birthdate_index")}}
			return add(d)
		}, "Duplicate index name birthdate_index"},
		{"custom without class", func() error {
			d := cfDef("Keyspace1", "Cust")
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: tg.IndexTypePtr(tg.IndexType_CUSTOM)}}
			return add(d)
		}, "Required index option missing: class_name"},
		{"counter column in normal CF", func() error {
			d := cfDef("Keyspace1", "Cnt")
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "CounterColumnType"}}
			return add(d)
		}, "Cannot add a counter column (61) in a non counter column family"},
		{"normal column in counter CF", func() error {
			d := cfDef("Keyspace1", "Cnt")
			d.DefaultValidationClass = strp("CounterColumnType")
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType"}}
			return add(d)
		}, "Cannot add a non counter column (61) in a counter column family"},
		{"counter key validator", func() error {
			d := cfDef("Keyspace1", "Cnt")
			d.KeyValidationClass = strp("CounterColumnType")
			return add(d)
		}, "CounterColumnType is not a valid key validator"},
		{"bloom zero", func() error {
			d := cfDef("Keyspace1", "Bf")
			d.BloomFilterFpChance = new(float64)
			return add(d)
		}, "bloom_filter_fp_chance must be larger than 6.71E-5 and less than or equal to 1.0 (got 0.0)"}, // TableParams.validate
		{"min > max compaction", func() error {
			d := cfDef("Keyspace1", "Ct")
			d.MinCompactionThreshold, d.MaxCompactionThreshold = i32p(10), i32p(5)
			return add(d)
		}, "Min compaction threshold (got 10) cannot be greater than max compaction threshold (got 5)"},
		// CompactionParams.validate (3.11): thresholds of 0 no longer
		// disable compaction.
		{"max 0 refused", func() error {
			d := cfDef("Keyspace1", "Ct0")
			d.MaxCompactionThreshold = i32p(0)
			return add(d)
		}, "Disabling compaction by setting compaction thresholds to 0 has been removed, set the compaction option 'enabled' to false instead."},
		// ThriftConversion.isSuper (3.11) lower-cases the column type.
		{"lower-case super", func() error {
			d := cfDef("Keyspace1", "Lc")
			d.ColumnType = "super"
			return add(d)
		}, ""},
		{"unknown column type", func() error {
			d := cfDef("Keyspace1", "Lc2")
			d.ColumnType = "Supper"
			return add(d)
		}, "Invalid column type Supper"},
		{"column name invalid for subcomparator", func() error {
			d := cfDef("Keyspace1", "SubBad")
			d.ColumnType = "Super"
			d.SubcomparatorType = strp("LongType")
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("abc"), ValidationClass: "BytesType"}}
			return add(d)
		}, "Column name 616263 is not valid for comparator org.apache.cassandra.db.marshal.LongType"},
		{"49-char cf name", func() error { return add(cfDef("Keyspace1", strings.Repeat("c", 49))) },
			`ColumnFamily name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "` + strings.Repeat("c", 49) + `")`},
		{"48-char cf name", func() error { return add(cfDef("Keyspace1", strings.Repeat("c", 48))) }, ""},
		// ClientState.preventSystemKSSchemaModification: an
		// UnauthorizedException, so the message ends with a full stop.
		{"cf in system", func() error { return add(cfDef("system", "x")) }, "system keyspace is not user-modifiable."},
	})
	// Dropping a table of the system keyspace is refused.
	c2 := dial(t, c.addr)
	must(t, c2.SetKeyspace(ctx, "system"))
	ks, err := c2.DescribeKeyspace(ctx, "system")
	must(t, err)
	if len(ks.CfDefs) > 0 {
		_, err = c2.SystemDropColumnFamily(ctx, ks.CfDefs[0].Name)
		mustIRE(t, err, "system keyspace is not user-modifiable.")
	}
}

func TestThriftNameScopes(t *testing.T) {
	c := dtestClient(t, server.Config{})
	keys := tg.IndexTypePtr(tg.IndexType_KEYS)
	// Table names are case-sensitive and need not be unique ignoring case.
	_, err := c.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "STANDARD1"))
	must(t, err)
	c.insert(t, "k", parent("STANDARD1"), col("a", "upper", 1))
	assertNoPath(t, c, "k", colPath("Standard1", "a"))
	_, err = c.GetSlice(ctx, []byte("k"), parent("standard1"), names("a"), ONE)
	mustIRE(t, err, "unconfigured table standard1")
	// Index names are unique per keyspace only.
	d := cfDef("Keyspace2", "Other")
	d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: keys, IndexName: strp("birthdate_index")}}
	must(t, c.SetKeyspace(ctx, "Keyspace2"))
	_, err = c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	// Dropping a table frees its index names.
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	_, err = c.SystemDropColumnFamily(ctx, "Indexed1")
	must(t, err)
	d = cfDef("Keyspace1", "Reuse")
	d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: keys, IndexName: strp("birthdate_index")}}
	_, err = c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	// Dropping a keyspace and recreating it starts empty, with a new schema.
	c.insert(t, "k", parent("Standard1"), col("a", "v", 1))
	_, err = c.SystemDropKeyspace(ctx, "Keyspace1")
	must(t, err)
	_, err = c.SystemAddKeyspace(ctx, ksDef("Keyspace1", simple, rf1, cfDef("Keyspace1", "Standard1")))
	must(t, err)
	if res := c.bigSlice(t, "k", parent("Standard1")); len(res) != 0 {
		t.Fatalf("recreated keyspace has old data: %v", res)
	}
	ks, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	if len(ks.CfDefs) != 1 {
		t.Fatalf("recreated keyspace tables: %d", len(ks.CfDefs))
	}
}

func TestThriftColumnValidators(t *testing.T) {
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

func TestThriftDropAndRecreateStartsEmpty(t *testing.T) {
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

func TestThriftSchemaVersions(t *testing.T) {
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

func TestThriftSchemaVersionsAgreeAcrossServers(t *testing.T) {
	c1, _ := startAndDial(t, server.Config{})
	c2, _ := startAndDial(t, server.Config{})
	v1a, err := c1.DescribeSchemaVersions(ctx)
	must(t, err)
	v2a, err := c2.DescribeSchemaVersions(ctx)
	must(t, err)
	if len(v1a) != 1 {
		t.Fatalf("versions %v", v1a)
	}
	for v, hosts := range v1a {
		if len(hosts) != 1 || hosts[0] != "127.0.0.1" || len(v) != 36 || v[14] != '3' || v != strings.ToLower(v) {
			t.Fatalf("version entry %q: %v", v, hosts)
		}
		if _, ok := v2a[v]; !ok {
			t.Fatalf("two empty servers disagree: %v vs %v", v1a, v2a)
		}
	}
	seen := map[string]bool{}
	step := func(name string, f func(c *client) (string, error)) {
		t.Helper()
		a, err := f(c1)
		must(t, err)
		b, err := f(c2)
		must(t, err)
		if a != b {
			t.Fatalf("%s: identical schemas, different versions %s %s", name, a, b)
		}
		if seen[a] {
			t.Fatalf("%s: version %s repeats", name, a)
		}
		seen[a] = true
		vs, err := c1.DescribeSchemaVersions(ctx)
		must(t, err)
		if _, ok := vs[a]; !ok || len(vs) != 1 {
			t.Fatalf("%s: describe_schema_versions %v, returned %s", name, vs, a)
		}
	}
	step("add ks", func(c *client) (string, error) {
		return c.SystemAddKeyspace(ctx, ksDef("V", simple, rf1))
	})
	step("set ks and add cf", func(c *client) (string, error) {
		if err := c.SetKeyspace(ctx, "V"); err != nil {
			return "", err
		}
		return c.SystemAddColumnFamily(ctx, cfDef("V", "cf"))
	})
	step("update cf", func(c *client) (string, error) {
		d := cfDef("V", "cf")
		d.Comment = strp("x")
		return c.SystemUpdateColumnFamily(ctx, d)
	})
	step("update ks", func(c *client) (string, error) {
		return c.SystemUpdateKeyspace(ctx, ksDef("V", simple, map[string]string{"replication_factor": "2"}))
	})
	step("drop cf", func(c *client) (string, error) { return c.SystemDropColumnFamily(ctx, "cf") })
	step("drop ks", func(c *client) (string, error) { return c.SystemDropKeyspace(ctx, "V") })
	// Back to the empty schema: the first version again? Cassandra's digest
	// is over the schema tables, so an empty schema hashes the same.
	vs, err := c1.DescribeSchemaVersions(ctx)
	must(t, err)
	for v := range v1a {
		if _, ok := vs[v]; !ok {
			t.Logf("note: version after dropping everything %v differs from the initial %v", vs, v1a)
		}
	}
}

// TestThriftSchemaChangesUnderLoad races writes and reads against drops and
// re-creations of their column family: every call either works or fails
// with unconfigured table, and nothing panics or deadlocks.
func TestThriftSchemaChangesUnderLoad(t *testing.T) {
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

func TestThriftSystemKeyspaceNotModifiableThroughTables(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// Cassandra's access check uses the session keyspace...
	must(t, c.SetKeyspace(ctx, "system"))
	_, err := c.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "X"))
	mustIRE(t, err, "system keyspace is not user-modifiable.")
	// ...and the target keyspace is guarded as well.
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	_, err = c.SystemAddColumnFamily(ctx, cfDef("system", "X"))
	mustIRE(t, err, "system keyspace is not user-modifiable.")
	// Keyspace-level calls use validateKeyspaceNotSystem (no full stop).
	_, err = c.SystemUpdateKeyspace(ctx, ksDef("system", simple, rf1))
	mustIRE(t, err, "system keyspace is not user-modifiable")
	// Cassandra 3.11's hasColumnFamilyAccess finds the built-in tables
	// (Schema.getCFMetaData), and preventSystemKSSchemaModification then
	// refuses them, system_schema's too.
	must(t, c.SetKeyspace(ctx, "system"))
	_, err = c.SystemDropColumnFamily(ctx, "local")
	mustIRE(t, err, "system keyspace is not user-modifiable.")
	_, err = c.SystemDropColumnFamily(ctx, "nope")
	mustIRE(t, err, "unconfigured table nope")
	must(t, c.SetKeyspace(ctx, "system_schema"))
	_, err = c.SystemDropColumnFamily(ctx, "tables")
	mustIRE(t, err, "system_schema keyspace is not user-modifiable.")
	_, err = c.SystemAddColumnFamily(ctx, cfDef("Keyspace1", "X"))
	mustIRE(t, err, "system_schema keyspace is not user-modifiable.")
	upd := cfDef("system_schema", "tables")
	_, err = c.SystemUpdateColumnFamily(ctx, upd)
	mustIRE(t, err, "system_schema keyspace is not user-modifiable.")
	// The replicated system keyspaces refuse ALTER and DROP of their tables.
	_, err = c.SystemUpdateColumnFamily(ctx, cfDef("system_auth", "roles"))
	mustIRE(t, err, "Cannot ALTER <table system_auth.roles>")
	must(t, c.SetKeyspace(ctx, "system_traces"))
	_, err = c.SystemDropColumnFamily(ctx, "events")
	mustIRE(t, err, "Cannot DROP <table system_traces.events>")
}
