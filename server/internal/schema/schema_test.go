package schema

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

func TestVersions(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	if a.Current().Version() != b.Current().Version() {
		t.Fatal("fresh schemas differ")
	}
	u, err := uuid.Parse(a.Current().Version())
	if err != nil || u.Version() != 3 || u.Variant() != uuid.RFC4122 || u.String() != a.Current().Version() {
		t.Fatalf("version %s is not a lower-case v3 UUID", a.Current().Version())
	}
	if a.Current().VersionUUID() != u {
		t.Error("VersionUUID differs from Version")
	}
	seen := map[string]string{a.Current().Version(): "initial"}
	steps := []struct {
		name string
		f    func(s *Schema) (*Change, error)
	}{
		{"add ks", func(s *Schema) (*Change, error) { return s.AddKeyspace(simpleKs("K")) }},
		{"add cf", func(s *Schema) (*Change, error) { return s.AddTable(cf("K", "a")) }},
		{"update cf", func(s *Schema) (*Change, error) {
			return s.UpdateTable(&thriftgen.CfDef{Keyspace: "K", Name: "a", Comment: sp("x")})
		}},
		{"update ks", func(s *Schema) (*Change, error) {
			return s.UpdateKeyspace(&thriftgen.KsDef{Name: "K", StrategyClass: "SimpleStrategy",
				StrategyOptions: map[string]string{"replication_factor": "2"}, DurableWrites: true})
		}},
		{"add cf b", func(s *Schema) (*Change, error) { return s.AddTable(cf("K", "b")) }},
		{"drop cf a", func(s *Schema) (*Change, error) { return s.DropTable("K", "a") }},
	}
	for _, st := range steps {
		ca, err := st.f(a)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		cb, err := st.f(b)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if ca.Version() != cb.Version() {
			t.Errorf("%s: identical schemas give %s and %s", st.name, ca.Version(), cb.Version())
		}
		if prev, ok := seen[ca.Version()]; ok {
			t.Errorf("%s: version %s already seen after %s", st.name, ca.Version(), prev)
		}
		seen[ca.Version()] = st.name
		if ca.Old.Version() == ca.New.Version() {
			t.Errorf("%s: version did not change", st.name)
		}
	}
	// Dropping the keyspace brings back the initial schema, and its version.
	if ch, err := a.DropKeyspace("K"); err != nil || seen[ch.Version()] != "initial" {
		t.Errorf("drop keyspace: %v, version from %q", err, seen[ch.Version()])
	}
}

func TestNameUUIDMatchesJava(t *testing.T) {
	// UUID.nameUUIDFromBytes(new byte[0]) in Java.
	if got := nameUUID(nil).String(); got != "d41d8cd9-8f00-3204-a980-0998ecf8427e" {
		t.Errorf("nameUUID(empty) = %s", got)
	}
}

func TestApplyHook(t *testing.T) {
	var seen []*Change
	fail := false
	s := New(Options{Apply: func(ch *Change) error {
		if fail {
			return errors.New("storage full")
		}
		seen = append(seen, ch)
		return nil
	}})
	ch, err := s.AddKeyspace(simpleKs("K", cf("K", "a")))
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != ch || ch.Old == nil || ch.Old.Keyspace("K") != nil || ch.New.Table("K", "a") == nil {
		t.Fatalf("hook saw %+v", seen)
	}
	fail = true
	v := s.Current().Version()
	if _, err := s.AddTable(cf("K", "b")); err == nil || err.Error() != "storage full" {
		t.Fatalf("err = %v", err)
	}
	if s.Current().Version() != v || s.Current().Table("K", "b") != nil {
		t.Error("a change the hook refused was published")
	}
}

func TestPersistence(t *testing.T) {
	s := New(Options{})
	mustKs(t, s, "K", &thriftgen.CfDef{Keyspace: "K", Name: "a", ComparatorType: "UTF8Type", Caching: "ALL",
		SpeculativeRetry: "99PERCENTILE", CompressionOptions: map[string]string{},
		ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("x"), "LongType", thriftgen.IndexType_KEYS, nil)}},
		&thriftgen.CfDef{Keyspace: "K", Name: "s", ColumnType: "Super", DefaultValidationClass: sp("CounterColumnType")})
	if _, err := s.AddKeyspace(&thriftgen.KsDef{Name: "N", StrategyClass: "NetworkTopologyStrategy",
		StrategyOptions: map[string]string{"datacenter1": "1"}, CfDefs: []*thriftgen.CfDef{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateKeyspace(&thriftgen.KsDef{Name: "system_auth", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "3"}, DurableWrites: true}); err != nil {
		t.Fatal(err)
	}
	// 3.11 refuses to drop system_distributed; its state persists like
	// system_auth's.
	if _, err := s.UpdateKeyspace(&thriftgen.KsDef{Name: "system_distributed", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, DurableWrites: true}); err != nil {
		t.Fatal(err)
	}
	data, err := s.Current().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{})
	mustKs(t, r, "Gone", cf("Gone", "g"))
	ch, err := r.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != Loaded || len(ch.Created) != 2 || len(ch.Dropped) != 1 || ch.Dropped[0].Name != "g" {
		t.Errorf("change = %+v", ch)
	}
	if r.Current().Version() != s.Current().Version() {
		t.Error("restored schema has another version")
	}
	for _, n := range []string{"a", "s"} {
		if r.Current().Table("K", n).ID != s.Current().Table("K", n).ID {
			t.Errorf("table %s lost its ID", n)
		}
	}
	if r.Current().Keyspace("Gone") != nil || r.Current().Keyspace("system") == nil || r.Current().Keyspace("system_schema") == nil ||
		r.Current().Keyspace("system_distributed").ReplicationFactor() != 1 || !r.Current().Keyspace("system_auth").System ||
		r.Current().Keyspace("system_auth").ReplicationFactor() != 3 {
		t.Error("load must replace the keyspaces, keeping system and the state of the others")
	}
	if _, err := r.Load([]byte("{")); err == nil {
		t.Error("bad data accepted")
	}
	if r.Current().Version() != s.Current().Version() {
		t.Error("failed load changed the schema")
	}
}

// TestConcurrentReaders runs readers against a stream of changes; run it
// with -race.
func TestConcurrentReaders(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K", cf("K", "base"))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				c := s.Current()
				tb := c.Table("K", "base")
				if tb == nil || tb.ValueValidator([]byte("x")) == nil {
					t.Error("base table vanished")
					return
				}
				_ = c.Version()
				for _, k := range c.Describe() {
					_ = k.CfDefs
				}
			}
		}()
	}
	for i := 0; i < 100; i++ {
		name := fmt.Sprintf("t%d", i%5)
		if _, err := s.AddTable(cf("K", name)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateTable(&thriftgen.CfDef{Keyspace: "K", Name: name, Comment: sp("c")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DropTable("K", name); err != nil {
			t.Fatal(err)
		}
	}
	// Concurrent writers are serialised.
	var wwg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wwg.Add(1)
		go func(i int) {
			defer wwg.Done()
			_, err := s.AddTable(cf("K", fmt.Sprintf("w%d", i)))
			errs <- err
		}(i)
	}
	wwg.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(s.Current().Keyspace("K").Tables); n != 21 {
		t.Errorf("%d tables, want 21", n)
	}
}

// FuzzAddTable feeds arbitrary type strings, names and options through
// system_add_column_family: it must answer with a table or an
// InvalidRequestException, never panic.
func FuzzAddTable(f *testing.F) {
	f.Add("Standard", "LongType", "UTF8Type", "c", []byte("name"), "BytesType", "keys_only", "100", "NONE", int32(1))
	f.Add("Super", "CompositeType(LongType,ReversedType(UTF8Type))", "BytesType", "in-valid", []byte{}, "CounterColumnType", "{\"keys\":\"ALL\"}", "ALL", "99PERCENTILE", int32(0))
	f.Add("", "DynamicCompositeType(a=>AsciiType)", "", "x_y", []byte{0xff}, "Nope(", "ALL", "x", "10ms", int32(2))
	f.Fuzz(func(t *testing.T, colType, comparator, sub, name string, colName []byte, validator, caching, cells, retry string, it int32) {
		s := newSchema()
		mustKs(t, s, "K")
		def := &thriftgen.CfDef{Keyspace: "K", Name: name, ColumnType: colType, ComparatorType: comparator,
			SubcomparatorType: &sub, Caching: caching, CellsPerRowToCache: cells, SpeculativeRetry: retry,
			ColumnMetadata: []*thriftgen.ColumnDef{{Name: colName, ValidationClass: validator, IndexType: itp(thriftgen.IndexType(it))}}}
		if _, err := s.AddTable(def); err != nil {
			why(t, err)
			return
		}
		tb := s.Current().Table("K", name)
		_ = tb.ValueValidator(colName)
		_ = s.Current().Keyspace("K").Def()
		if _, err := s.UpdateTable(copyCfDef(tb.Def)); err != nil {
			t.Fatalf("re-sending the described definition failed: %v", err)
		}
	})
}

func BenchmarkCurrentTable(b *testing.B) {
	s := newSchema()
	mustKs(&testing.T{}, s, "K", cf("K", "a"), cf("K", "b"))
	name := []byte("col")
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Current().Table("K", "a").ValueValidator(name)
	}
}

func BenchmarkAddTable(b *testing.B) {
	s := newSchema()
	mustKs(&testing.T{}, s, "K")
	def := &thriftgen.CfDef{Keyspace: "K", Name: "t", ComparatorType: "UTF8Type",
		ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("state"), "UTF8Type", thriftgen.IndexType_KEYS, nil)}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AddTable(def); err != nil {
			b.Fatal(err)
		}
		if _, err := s.DropTable("K", "t"); err != nil {
			b.Fatal(err)
		}
	}
}
