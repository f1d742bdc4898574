package schema

import (
	"sort"
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
)

func TestNewHasSystemKeyspaces(t *testing.T) {
	c := New(Options{}).Current()
	var names []string
	for _, k := range c.Describe() {
		names = append(names, k.Name)
		if k.CfDefs == nil || k.StrategyOptions == nil {
			t.Errorf("%s: cf_defs and strategy_options must be non-nil", k.Name)
		}
		if !k.DurableWrites {
			t.Errorf("%s: durable_writes false", k.Name)
		}
	}
	// Cassandra 3.11's five system keyspaces (2.2 had no system_schema).
	want := []string{"system", "system_auth", "system_distributed", "system_schema", "system_traces"}
	if !equalStrings(names, want) {
		t.Fatalf("describe_keyspaces = %v, want %v", names, want)
	}
	for _, name := range []string{"system", "system_schema"} {
		sys := c.Keyspace(name)
		if sys.StrategyClass != LocalStrategy || sys.HasRing() || !sys.System {
			t.Errorf("%s = %+v", name, sys)
		}
	}
	for ks, rf := range map[string]string{"system_auth": "1", "system_distributed": "3", "system_traces": "2"} {
		k := c.Keyspace(ks)
		if k.StrategyClass != SimpleStrategy || k.StrategyOptions["replication_factor"] != rf || !k.HasRing() {
			t.Errorf("%s = %+v", ks, k)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAddKeyspaceErrors(t *testing.T) {
	opts := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	ks := func(name, strategy string, o map[string]string, cfs ...*thriftgen.CfDef) *thriftgen.KsDef {
		if cfs == nil {
			cfs = []*thriftgen.CfDef{}
		}
		return &thriftgen.KsDef{Name: name, StrategyClass: strategy, StrategyOptions: o, CfDefs: cfs, DurableWrites: true}
	}
	rf1 := opts("replication_factor", "1")
	tests := []struct {
		name string
		def  *thriftgen.KsDef
		want string
	}{
		// 1. system, whatever else is wrong.
		{"system", ks("system", "Nope", nil), "system keyspace is not user-modifiable"},
		// 3.11's validateKeyspaceNotSystem names the keyspace as given and
		// covers system_schema too.
		{"SYSTEM", ks("SYSTEM", "SimpleStrategy", rf1), "SYSTEM keyspace is not user-modifiable"},
		{"system_schema", ks("system_schema", "SimpleStrategy", rf1), "system_schema keyspace is not user-modifiable"},
		{"System_Schema", ks("System_Schema", "SimpleStrategy", rf1), "System_Schema keyspace is not user-modifiable"},
		// 2. case-insensitive uniqueness, exact duplicates included, before everything else.
		{"dup exact", ks("Keyspace1", "Nope", nil), `Keyspace names must be case-insensitively unique ("Keyspace1" conflicts with "Keyspace1")`},
		{"dup case", ks("KEYSPACE1", "SimpleStrategy", rf1), `Keyspace names must be case-insensitively unique ("KEYSPACE1" conflicts with "Keyspace1")`},
		{"dup system_auth", ks("System_Auth", "SimpleStrategy", rf1), `Keyspace names must be case-insensitively unique ("System_Auth" conflicts with "system_auth")`},
		// 3. CfDef keyspace mismatch, before CfDef conversion errors of an earlier CfDef.
		{"cf mismatch", ks("K2", "Nope", nil, &thriftgen.CfDef{Keyspace: "K2", Name: "a", ColumnType: "Bad"}, cf("Other", "b")),
			"CfDef (b) had a keyspace definition that did not match KsDef"},
		// 4. CfDef conversion before the strategy.
		{"cf column type", ks("K2", "Nope", nil, &thriftgen.CfDef{Keyspace: "K2", Name: "a", ColumnType: "Bad"}), "Invalid column type Bad"},
		{"cf type", ks("K2", "Nope", nil, &thriftgen.CfDef{Keyspace: "K2", Name: "a", ComparatorType: "FooType"}),
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.FooType'"},
		// 5. strategy class, before the name.
		{"unknown strategy", ks("in-valid", "Nope", nil), "Unable to find replication strategy class 'org.apache.cassandra.locator.Nope'"},
		{"unknown dotted strategy", ks("K2", "com.example.Strategy", nil), "Unable to find replication strategy class 'com.example.Strategy'"},
		{"case-sensitive class", ks("K2", "simplestrategy", rf1), "Unable to find replication strategy class 'org.apache.cassandra.locator.simplestrategy'"},
		{"local strategy", ks("in-valid", "LocalStrategy", nil), "Unable to use given strategy class: LocalStrategy is reserved for internal use."},
		{"local strategy fq", ks("K2", "org.apache.cassandra.locator.LocalStrategy", nil), "Unable to use given strategy class: LocalStrategy is reserved for internal use."},
		{"snitch", ks("K2", "SimpleSnitch", nil), "Specified replication strategy class (org.apache.cassandra.locator.SimpleSnitch) is not derived from AbstractReplicationStrategy"},
		// 6. name, before the options.
		{"bad name", ks("in-valid", "SimpleStrategy", nil), `Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "in-valid")`},
		{"empty name", ks("", "SimpleStrategy", rf1), `Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "")`},
		{"long name", ks("k234567890123456789012345678901234567890123456789", "SimpleStrategy", rf1),
			`Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "k234567890123456789012345678901234567890123456789")`},
		// 7. options.
		{"unrecognized", ks("K2", "SimpleStrategy", opts("replication_factor", "1", "datacenter1", "1")),
			"Unrecognized strategy option {datacenter1} passed to SimpleStrategy for keyspace K2"},
		{"no rf", ks("K2", "SimpleStrategy", nil), "SimpleStrategy requires a replication_factor strategy option."},
		{"KsDef.replication_factor ignored", &thriftgen.KsDef{Name: "K2", StrategyClass: "SimpleStrategy", ReplicationFactor: ip(1), CfDefs: []*thriftgen.CfDef{}},
			"SimpleStrategy requires a replication_factor strategy option."},
		{"rf not numeric", ks("K2", "SimpleStrategy", opts("replication_factor", "one")), "Replication factor must be numeric; found one"},
		{"rf negative", ks("K2", "SimpleStrategy", opts("replication_factor", "-1")), "Replication factor must be non-negative; found -1"},
		{"onts no rf", ks("K2", "OldNetworkTopologyStrategy", nil), "SimpleStrategy requires a replication_factor strategy option."},
		{"onts unrecognized", ks("K2", "OldNetworkTopologyStrategy", opts("dc1", "1")),
			"Unrecognized strategy option {dc1} passed to OldNetworkTopologyStrategy for keyspace K2"},
		{"nts rf option", ks("K2", "NetworkTopologyStrategy", opts("replication_factor", "1")),
			"replication_factor is an option for SimpleStrategy, not NetworkTopologyStrategy"},
		{"nts not numeric", ks("K2", "NetworkTopologyStrategy", opts("datacenter1", "x")), "Replication factor must be numeric; found x"},
		{"nts negative", ks("K2", "NetworkTopologyStrategy", opts("datacenter1", "-2")), "Replication factor must be non-negative; found -2"},
		// 8. CF validation comes after the strategy options.
		{"cf name after options", ks("K2", "SimpleStrategy", nil, cf("K2", "bad-name")), "SimpleStrategy requires a replication_factor strategy option."},
		{"cf name", ks("K2", "SimpleStrategy", rf1, cf("K2", "bad-name")),
			`ColumnFamily name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "bad-name")`},
		{"dup index across cfs", ks("K2", "SimpleStrategy", rf1,
			&thriftgen.CfDef{Keyspace: "K2", Name: "a", ColumnMetadata: []*thriftgen.ColumnDef{{Name: []byte("c"), ValidationClass: "BytesType", IndexType: itp(thriftgen.IndexType_KEYS), IndexName: sp("ix")}}},
			&thriftgen.CfDef{Keyspace: "K2", Name: "b", ColumnMetadata: []*thriftgen.ColumnDef{{Name: []byte("c"), ValidationClass: "BytesType", IndexType: itp(thriftgen.IndexType_KEYS), IndexName: sp("ix")}}}),
			"Duplicate index name ix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSchema()
			mustKs(t, s, "Keyspace1")
			before := s.Current().Version()
			_, err := s.AddKeyspace(tt.def)
			if got := why(t, err); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
			if s.Current().Version() != before {
				t.Error("a refused change altered the schema version")
			}
		})
	}
}

func TestAddKeyspaceAccepts(t *testing.T) {
	tests := []struct {
		name      string
		strategy  string
		opts      map[string]string
		wantClass string
		rf, local int
		dcs       map[string]int
	}{
		{"simple rf10", "SimpleStrategy", map[string]string{"replication_factor": "10"}, SimpleStrategy, 10, 10, map[string]int{"datacenter1": 10}},
		{"simple fq rf0", SimpleStrategy, map[string]string{"replication_factor": "0"}, SimpleStrategy, 0, 0, map[string]int{"datacenter1": 0}},
		{"nts", "NetworkTopologyStrategy", map[string]string{"datacenter1": "2", "dc2": "3"}, NetworkTopologyStrategy, 5, 2, map[string]int{"datacenter1": 2, "dc2": 3}},
		{"nts other dc", "NetworkTopologyStrategy", map[string]string{"dc2": "1"}, NetworkTopologyStrategy, 1, 0, map[string]int{"dc2": 1}},
		{"nts empty", "NetworkTopologyStrategy", nil, NetworkTopologyStrategy, 0, 0, map[string]int{}},
		{"onts", "OldNetworkTopologyStrategy", map[string]string{"replication_factor": "3"}, OldNetworkTopologyStrategy, 3, 3, map[string]int{"datacenter1": 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSchema()
			ch, err := s.AddKeyspace(&thriftgen.KsDef{Name: "K", StrategyClass: tt.strategy, StrategyOptions: tt.opts, CfDefs: []*thriftgen.CfDef{}, DurableWrites: false})
			if err != nil {
				t.Fatal(err)
			}
			if ch.Kind != KeyspaceAdded || ch.Keyspace != "K" || ch.Version() != s.Current().Version() {
				t.Errorf("change = %+v", ch)
			}
			k := s.Current().Keyspace("K")
			if k.StrategyClass != tt.wantClass || k.ReplicationFactor() != tt.rf || k.LocalReplicationFactor() != tt.local {
				t.Errorf("class %s rf %d local %d", k.StrategyClass, k.ReplicationFactor(), k.LocalReplicationFactor())
			}
			dcs := k.DatacenterReplicationFactors()
			if len(dcs) != len(tt.dcs) {
				t.Errorf("dcs = %v, want %v", dcs, tt.dcs)
			}
			for dc, n := range tt.dcs {
				if dcs[dc] != n {
					t.Errorf("dcs = %v, want %v", dcs, tt.dcs)
				}
			}
			d := k.Def()
			if d.StrategyClass != tt.wantClass || d.DurableWrites || d.CfDefs == nil || len(d.StrategyOptions) != len(tt.opts) {
				t.Errorf("Def = %+v", d)
			}
			for key, v := range tt.opts {
				if d.StrategyOptions[key] != v {
					t.Errorf("strategy_options = %v, want as sent %v", d.StrategyOptions, tt.opts)
				}
			}
		})
	}
}

func TestAddKeyspaceWithTables(t *testing.T) {
	s := newSchema()
	ch, err := s.AddKeyspace(simpleKs("K", cf("K", "b"), cf("K", "a"),
		&thriftgen.CfDef{Keyspace: "K", Name: "b", ComparatorType: "LongType"}))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range ch.Created {
		names = append(names, tb.Name)
	}
	sort.Strings(names)
	if !equalStrings(names, []string{"a", "b"}) {
		t.Fatalf("created %v", names)
	}
	if c := s.Current().Table("K", "b").Comparator.Class(); c != "org.apache.cassandra.db.marshal.LongType" {
		t.Errorf("a repeated CfDef name should replace the earlier one, comparator %s", c)
	}
	d := s.Current().Keyspace("K").Def()
	if len(d.CfDefs) != 2 || d.CfDefs[0].Name != "a" || d.CfDefs[1].Name != "b" {
		t.Errorf("cf_defs = %v", d.CfDefs)
	}
	if s.Current().Table("K", "a").ID == s.Current().Table("K", "b").ID {
		t.Error("tables share an ID")
	}
}

func TestUpdateKeyspace(t *testing.T) {
	tests := []struct {
		name string
		def  *thriftgen.KsDef
		want string
	}{
		{"system", simpleKs("system"), "system keyspace is not user-modifiable"},
		{"System", &thriftgen.KsDef{Name: "System", StrategyClass: "Nope"}, "System keyspace is not user-modifiable"},
		{"system_schema", &thriftgen.KsDef{Name: "system_schema", StrategyClass: "Nope"}, "system_schema keyspace is not user-modifiable"},
		{"missing", simpleKs("Nope"), "Keyspace Nope does not exist"},
		{"cf_defs", simpleKs("K", cf("K", "x")), "Keyspace update must not contain any table definitions."},
		{"strategy", &thriftgen.KsDef{Name: "K", StrategyClass: "LocalStrategy"}, "Unable to use given strategy class: LocalStrategy is reserved for internal use."},
		{"options", &thriftgen.KsDef{Name: "K", StrategyClass: "SimpleStrategy", StrategyOptions: map[string]string{"x": "1"}},
			"Unrecognized strategy option {x} passed to SimpleStrategy for keyspace K"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSchema()
			mustKs(t, s, "K")
			if got := why(t, func() error { _, err := s.UpdateKeyspace(tt.def); return err }()); got != tt.want {
				t.Fatalf("got %q want %q", got, tt.want)
			}
		})
	}

	s := newSchema()
	mustKs(t, s, "K", cf("K", "t"))
	tbl := s.Current().Table("K", "t")
	v0 := s.Current().Version()
	ch, err := s.UpdateKeyspace(&thriftgen.KsDef{Name: "K", StrategyClass: "NetworkTopologyStrategy",
		StrategyOptions: map[string]string{"datacenter1": "3"}, DurableWrites: false})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != KeyspaceUpdated || ch.Version() == v0 || len(ch.Created)+len(ch.Dropped)+len(ch.Updated) != 0 {
		t.Errorf("change = %+v", ch)
	}
	d := s.Current().Keyspace("K").Def()
	if d.StrategyClass != NetworkTopologyStrategy || d.StrategyOptions["datacenter1"] != "3" || len(d.StrategyOptions) != 1 || d.DurableWrites {
		t.Errorf("after update: %+v", d)
	}
	if s.Current().Table("K", "t") != tbl {
		t.Error("a keyspace update must keep its tables")
	}
	// system_auth and system_traces accept keyspace-level changes.
	if _, err := s.UpdateKeyspace(&thriftgen.KsDef{Name: "system_auth", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "2"}, DurableWrites: true}); err != nil {
		t.Errorf("update system_auth: %v", err)
	}
}

func TestDropKeyspace(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K", cf("K", "a"), cf("K", "b"))
	for name, want := range map[string]string{
		"system":        "system keyspace is not user-modifiable",
		"SYSTEM":        "SYSTEM keyspace is not user-modifiable",
		"system_schema": "system_schema keyspace is not user-modifiable",
		"system_auth":   "Cannot DROP <keyspace system_auth>",
		"system_traces": "Cannot DROP <keyspace system_traces>",
		// ClientState's ALTERABLE_SYSTEM_KEYSPACES has system_distributed
		// since 3.11.3 (CASSANDRA-13813).
		"system_distributed": "Cannot DROP <keyspace system_distributed>",
		"Nope":               "Cannot drop non existing keyspace 'Nope'.",
		"k":                  "Cannot drop non existing keyspace 'k'.",
	} {
		if got := why(t, func() error { _, err := s.DropKeyspace(name); return err }()); got != want {
			t.Errorf("DropKeyspace(%s) = %q, want %q", name, got, want)
		}
	}
	ch, err := s.DropKeyspace("K")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != KeyspaceDropped || len(ch.Dropped) != 2 || ch.Dropped[0].Name != "a" || ch.Dropped[1].Name != "b" {
		t.Errorf("change = %+v", ch)
	}
	if s.Current().Keyspace("K") != nil || ch.Old.Keyspace("K") == nil {
		t.Error("keyspace still present, or old catalog changed")
	}
}
