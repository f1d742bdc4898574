package cqlquery

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
)

func TestOrdering(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c1 int, c2 int, v int, PRIMARY KEY (k, c1, c2))")
	f.ddl("CREATE TABLE d (k int, c int, v int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)")
	for k := 0; k < 3; k++ {
		for c := 0; c < 3; c++ {
			f.exec("INSERT INTO t (k, c1, c2, v) VALUES (?, ?, ?, ?)", k, c, 2-c, k*10+c)
			f.exec("INSERT INTO d (k, c, v) VALUES (?, ?, ?)", k, c, c)
		}
	}
	// IN on the partition key reads keys in key order, whatever the IN order.
	f.expect("0 | 0 | 0 | 2 | 2 | 2", "SELECT k FROM t WHERE k IN (2, 0)")
	// IN on clustering columns comes back in clustering order.
	f.expect("0 2 | 2 0", "SELECT c1, c2 FROM t WHERE k = 0 AND c1 IN (2, 0)")
	f.expect("0 2", "SELECT c1, c2 FROM t WHERE k = 0 AND c1 IN (2, 0) AND c2 IN (2, 5)")
	f.expect("2 | 1 | 0", "SELECT c FROM d WHERE k = 0")
	f.expect("0 | 1 | 2", "SELECT c FROM d WHERE k = 0 ORDER BY c ASC")
	f.expect("2 0 | 1 1 | 0 2", "SELECT c1, c2 FROM t WHERE k = 0 ORDER BY c1 DESC")
	f.expect("2 0 | 1 1", "SELECT c1, c2 FROM t WHERE k = 0 ORDER BY c1 DESC LIMIT 2")
	f.expect("1 | 0", "SELECT c FROM d WHERE k = 0 AND c < 2")
	f.expect("0 | 1", "SELECT c FROM d WHERE k = 0 AND c < 2 ORDER BY c")
	f.expect("1", "SELECT c FROM d WHERE k = 0 AND c > 0 AND c < 2")
	// IN plus ORDER BY sorts the rows of all partitions (unpaged only).
	f.expect("0 0 | 2 0 | 0 1 | 2 1 | 0 2 | 2 2", "SELECT k, c1 FROM t WHERE k IN (0, 2) ORDER BY c1")
	f.expect("0 2 | 2 2 | 0 1", "SELECT k, c1 FROM t WHERE k IN (0, 2) ORDER BY c1 DESC LIMIT 3")
	f.expect("0 0 | 1 0 | 2 0", "SELECT k, c FROM d WHERE k IN (2, 0, 1) AND c = 0 ORDER BY c")
	// Multi-column slices over mixed orders.
	f.ddl("CREATE TABLE m (k int, a int, b int, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (a ASC, b DESC)")
	for a := 0; a < 3; a++ {
		for b := 0; b < 3; b++ {
			f.exec("INSERT INTO m (k, a, b) VALUES (0, ?, ?)", a, b)
		}
	}
	f.expect("1 2 | 2 2 | 2 1 | 2 0", "SELECT a, b FROM m WHERE k = 0 AND (a, b) > (1, 1)")
	f.expect("0 2 | 0 1 | 0 0 | 1 2 | 1 1 | 1 0", "SELECT a, b FROM m WHERE k = 0 AND (a, b) >= (0, 0) AND (a, b) <= (1, 2)")
	f.expect("2 0 | 1 0 | 1 1", "SELECT a, b FROM m WHERE k = 0 AND (a, b) IN ((1, 0), (2, 0), (1, 2), (1, 1)) ORDER BY a DESC LIMIT 3")
	f.expect("1 2 | 1 1 | 1 0", "SELECT a, b FROM m WHERE k = 0 AND a = 1")
	f.expect("1 1 | 1 0", "SELECT a, b FROM m WHERE k = 0 AND a = 1 AND b < 2")
	f.expect("1 2 | 1 1 | 1 0 | 2 0", "SELECT a, b FROM m WHERE k = 0 AND a > 0 AND (a, b) < (2, 1)")
}

func TestSelectionFunctions(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, w text, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, c, v, w) VALUES (1, 1, 5, 'a') USING TIMESTAMP 11")
	f.exec("INSERT INTO t (k, c, v) VALUES (1, 2, 7) USING TIMESTAMP 12 AND TTL 30")
	f.exec("INSERT INTO t (k, c) VALUES (2, 1)")
	r := f.exec("SELECT k AS key, writetime(v), ttl(v), token(k), count(*) AS n, count(w), max(v), min(w) FROM t WHERE k = 1")
	var names []string
	for _, c := range r.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"key", "writetime(v)", "ttl(v)", "system.token(k)", "n", "system.count(w)", "system.max(v)", "system.min(w)"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	tok := partitioner.Murmur3Partitioner{}.Token(codec.AppendInt32(nil, 1)).(partitioner.Murmur3Token)
	if got, want := rows(r), "1 11 null "+tok.String()+" 2 1 7 a"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	f.expect("3", "SELECT count(1) FROM t")
	f.expect("3", "SELECT COUNT(*) FROM t")
	f.expect("0", "SELECT count(*) FROM t WHERE k = 9")
	f.expect("null", "SELECT max(v) FROM t WHERE k = 9")
	r = f.exec("SELECT count(*) FROM t")
	if r.Columns[0].Name != "count" || r.Columns[0].Type != codec.Long {
		t.Errorf("count column %+v", r.Columns[0])
	}
	// token() in WHERE, with literals, markers and token(?)
	f.expect("1 | 1", "SELECT k FROM t WHERE token(k) = ?", codec.AppendLong(nil, int64(tok)))
	f.expect("1 | 1", "SELECT k FROM t WHERE token(k) = token(1)")
	f.expect("1 | 1", "SELECT k FROM t WHERE token(k) = token(?)", 1)
	f.expect("1 | 1", "SELECT k FROM t WHERE token(k) >= "+tok.String()+" AND token(k) <= "+tok.String())
	f.expect("", "SELECT k FROM t WHERE token(k) > "+tok.String()+" AND token(k) < "+tok.String())
	f.expect("1 | 1", "SELECT k FROM t WHERE k = 1 AND token(k) = "+tok.String())
	f.expect("", "SELECT k FROM t WHERE k = 2 AND token(k) = "+tok.String())
	// typed terms and scalar functions
	f.expect("5 00000005", "SELECT (int)5, intAsBlob(v) FROM t WHERE k = 1 AND c = 1")
	f.expect("1", "SELECT k FROM t WHERE k = blobAsInt(0x00000001) AND c = 1")
	f.fail("In call to function system.blobasint, value 0x01 is not a valid binary representation for type int",
		"SELECT k FROM t WHERE k = blobAsInt(0x01)")
	f.expect("1970-01-01 00:00Z", "SELECT toTimestamp(minTimeuuid('1970-01-01')) FROM t WHERE k = 1 AND c = 1")
}

func TestDistinctAndCount(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (a int, b int, c int, s int static, PRIMARY KEY ((a, b), c))")
	for a := 0; a < 3; a++ {
		for c := 0; c < 4; c++ {
			f.exec("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", a, a%2, c)
		}
	}
	f.exec("INSERT INTO t (a, b, s) VALUES (9, 9, 1)")
	got := f.all("SELECT DISTINCT a, b FROM t")
	if len(got) != 4 {
		t.Errorf("distinct %q", got)
	}
	f.expect("0 0", "SELECT DISTINCT a, b FROM t WHERE a = 0 AND b = 0")
	f.expect("9 9 1", "SELECT DISTINCT a, b, s FROM t WHERE a = 9 AND b = 9")
	if got := f.all("SELECT DISTINCT a, b FROM t LIMIT 2"); len(got) != 2 {
		t.Errorf("DISTINCT LIMIT 2: %q", got)
	}
	f.expect("13", "SELECT count(*) FROM t")
	f.expect("4", "SELECT count(*) FROM t WHERE a = 1 AND b = 1")
	f.expect("2", "SELECT count(*) FROM t WHERE a = 1 AND b = 1 AND c > 1")
	f.expect("8", "SELECT count(*) FROM t WHERE a IN (0, 1) AND b IN (0, 1)")
	f.expect("1 0", "SELECT count(*), count(c) FROM t WHERE a = 9 AND b = 9 AND s = 1 ALLOW FILTERING")
	f.expect("3", "SELECT count(*) FROM t WHERE c = 1 ALLOW FILTERING")
	// the limit does not cut an aggregate
	f.expect("13", "SELECT count(*) FROM t LIMIT 2")
}

func TestFiltering(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c1 int, c2 int, v int, s int static, l list<int>, m map<int, int>, PRIMARY KEY (k, c1, c2))")
	f.ddl("CREATE TABLE p (a int, b int, c int, v int, PRIMARY KEY ((a, b), c))")
	type row struct{ k, c1, c2, v int }
	var data []row
	for k := 0; k < 4; k++ {
		f.exec("INSERT INTO t (k, s) VALUES (?, ?)", k, k%2)
		for c1 := 0; c1 < 3; c1++ {
			for c2 := 0; c2 < 3; c2++ {
				v := (k*7 + c1*3 + c2) % 5
				data = append(data, row{k, c1, c2, v})
				f.exec(fmt.Sprintf("INSERT INTO t (k, c1, c2, v, l, m) VALUES (%d, %d, %d, %d, [%d], {%d: %d})", k, c1, c2, v, v, c2, v))
			}
		}
		f.exec("INSERT INTO p (a, b, c, v) VALUES (?, ?, ?, ?)", k, k%2, k, k)
	}
	count := func(pred func(r row) bool) int {
		n := 0
		for _, r := range data {
			if pred(r) {
				n++
			}
		}
		return n
	}
	for _, tt := range []struct {
		q    string
		pred func(r row) bool
	}{
		{"SELECT count(*) FROM t WHERE v = 2 ALLOW FILTERING", func(r row) bool { return r.v == 2 }},
		{"SELECT count(*) FROM t WHERE v > 1 AND v <= 3 ALLOW FILTERING", func(r row) bool { return r.v > 1 && r.v <= 3 }},
		{"SELECT count(*) FROM t WHERE k = 1 AND v = 2 ALLOW FILTERING", func(r row) bool { return r.k == 1 && r.v == 2 }},
		{"SELECT count(*) FROM t WHERE c2 = 1 ALLOW FILTERING", func(r row) bool { return r.c2 == 1 }},
		{"SELECT count(*) FROM t WHERE k = 2 AND c2 > 0 ALLOW FILTERING", func(r row) bool { return r.k == 2 && r.c2 > 0 }},
		{"SELECT count(*) FROM t WHERE c1 = 1 ALLOW FILTERING", func(r row) bool { return r.c1 == 1 }},
		{"SELECT count(*) FROM t WHERE c1 > 0 AND c2 = 2 ALLOW FILTERING", func(r row) bool { return r.c1 > 0 && r.c2 == 2 }},
		{"SELECT count(*) FROM t WHERE s = 1 ALLOW FILTERING", func(r row) bool { return r.k%2 == 1 }},
		{"SELECT count(*) FROM t WHERE k > 1 ALLOW FILTERING", func(r row) bool { return r.k > 1 }},
		{"SELECT count(*) FROM t WHERE l CONTAINS 3 ALLOW FILTERING", func(r row) bool { return r.v == 3 }},
		{"SELECT count(*) FROM t WHERE m CONTAINS KEY 2 ALLOW FILTERING", func(r row) bool { return r.c2 == 2 }},
		{"SELECT count(*) FROM t WHERE m[1] = 4 ALLOW FILTERING", func(r row) bool { return r.c2 == 1 && r.v == 4 }},
		{"SELECT count(*) FROM t WHERE m CONTAINS 4 AND v = 4 ALLOW FILTERING", func(r row) bool { return r.v == 4 }},
	} {
		want := count(tt.pred)
		r := f.exec(tt.q)
		if got := rows(r); got != itoa(want) {
			t.Errorf("%s = %s, want %d", tt.q, got, want)
		}
	}
	f.expect("1 1 1", "SELECT a, b, v FROM p WHERE a = 1 ALLOW FILTERING")
	f.expect("2 0 2", "SELECT a, b, v FROM p WHERE b = 0 AND a > 1 ALLOW FILTERING")
	f.fail("IN restrictions are not supported on indexed columns", "SELECT k FROM t WHERE k = 0 AND c2 IN (1, 2) ALLOW FILTERING")
	f.fail("Multi-column slice restrictions cannot be used for filtering.", "SELECT k FROM t WHERE k = 0 AND (c2) > (1) ALLOW FILTERING")
}

func TestSecondaryIndex(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, w int, PRIMARY KEY (k, c))")
	f.ddl("CREATE INDEX v_idx ON t (v)")
	for k := 0; k < 5; k++ {
		for c := 0; c < 4; c++ {
			f.exec("INSERT INTO t (k, c, v, w) VALUES (?, ?, ?, ?)", k, c, (k+c)%3, c)
		}
	}
	// An index query needs no ALLOW FILTERING; rows come in token order,
	// then clustering order, and stay right after updates and deletes.
	want := f.all("SELECT k, c FROM t WHERE v = 1 ALLOW FILTERING")
	if got := f.all("SELECT k, c FROM t WHERE v = 1"); !sameRows(got, want) || len(got) == 0 {
		t.Errorf("index query %q, want %q", got, want)
	}
	f.expect("0 1", "SELECT k, v FROM t WHERE k = 0 AND v = 1")
	f.exec("UPDATE t SET v = 1 WHERE k = 0 AND c = 2")
	f.exec("UPDATE t SET v = 2 WHERE k = 0 AND c = 1")
	f.exec("DELETE FROM t WHERE k = 1 AND c = 0")
	f.expect("0 2 1", "SELECT k, c, v FROM t WHERE k = 0 AND v = 1")
	f.expect("0 2 2", "SELECT k, c, w FROM t WHERE k = 0 AND v = 1 AND w = 2 ALLOW FILTERING")
	for _, v := range []string{"0", "1", "2"} {
		want := f.all("SELECT k, c FROM t WHERE v = " + v + " ALLOW FILTERING")
		if got := f.all("SELECT k, c FROM t WHERE v = " + v); !sameRows(got, want) {
			t.Errorf("v = %s: %q, want %q", v, got, want)
		}
	}
	got, _ := f.pages("SELECT k, c FROM t WHERE v = 2", 3)
	if want := f.all("SELECT k, c FROM t WHERE v = 2"); !sameRows(got, want) {
		t.Errorf("paged index query %q, want %q", got, want)
	}
}

// Prepared metadata: receiver names and types, pk_indexes.
func TestBindMetadata(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (a int, b text, c int, v bigint, PRIMARY KEY ((a, b), c))")
	for _, tt := range []struct {
		q     string
		names []string
		pk    []int
	}{
		{"SELECT * FROM t WHERE a = ? AND b = ? AND c > ? LIMIT ?", []string{"a", "b", "c", "[limit]"}, []int{0, 1}},
		{"SELECT * FROM t WHERE b = ? AND a = ? PER PARTITION LIMIT ?", []string{"b", "a", "[per_partition_limit]"}, []int{1, 0}},
		{"SELECT * FROM t WHERE a = :x AND b = :y", []string{"x", "y"}, []int{0, 1}},
		{"SELECT * FROM t WHERE a IN ? AND b = ?", []string{"in(a)", "b"}, nil},
		{"SELECT * FROM t WHERE a IN (?, ?) AND b = ?", []string{"a", "a", "b"}, []int{1, 2}},
		{"SELECT * FROM t WHERE token(a, b) > ? AND token(a, b) < token(?, ?)", []string{"partition key token", "arg0(system.token)", "arg1(system.token)"}, nil},
		{"SELECT * FROM t WHERE a = 1 AND b = 'x' AND (c) IN ?", []string{"in(c)"}, nil},
		{"SELECT * FROM t WHERE a = 1 AND b = 'x' AND (c) = ?", []string{"(c)"}, nil},
		{"INSERT INTO t (a, b, c, v) VALUES (?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?", []string{"a", "b", "c", "v", "[ttl]", "[timestamp]"}, []int{0, 1}},
		{"UPDATE t USING TIMESTAMP ? SET v = ? WHERE a = ? AND b = ? AND c = ?", []string{"[timestamp]", "v", "a", "b", "c"}, []int{2, 3}},
		{"DELETE FROM t WHERE a = ? AND b = ?", []string{"a", "b"}, []int{0, 1}},
		{"BEGIN BATCH USING TIMESTAMP ? INSERT INTO t (a, b, c) VALUES (?, ?, ?) APPLY BATCH", []string{"[timestamp]", "a", "b", "c"}, []int{1, 2}},
	} {
		s, err := f.prepare(tt.q)
		if err != nil {
			t.Errorf("%s: %v", tt.q, err)
			continue
		}
		var names []string
		for _, c := range s.BindColumns {
			names = append(names, c.Name)
		}
		if !reflect.DeepEqual(names, tt.names) || !reflect.DeepEqual(s.PKIndexes, tt.pk) {
			t.Errorf("%s: names %q pk %v, want %q %v", tt.q, names, s.PKIndexes, tt.names, tt.pk)
		}
	}
	s, _ := f.prepare("SELECT * FROM t WHERE a IN ? AND b = ? AND token(a, b) > ? LIMIT ?")
	types := []string{"frozen<list<int>>", "text", "bigint", "int"}
	for i, c := range s.BindColumns {
		if codec.CQLName(c.Type) != types[i] || c.Keyspace != "ks" || c.Table != "t" {
			t.Errorf("marker %d: %+v", i, c)
		}
	}
	s, _ = f.prepare("BEGIN BATCH USING TIMESTAMP ? INSERT INTO t (a, b, c) VALUES (?, ?, ?) APPLY BATCH")
	if c := s.BindColumns[0]; c.Keyspace != "[batch]" || c.Table != "[batch]" {
		t.Errorf("batch timestamp spec %+v", c)
	}
}

func TestBatches(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))")
	f.ddl("CREATE TABLE u (k int PRIMARY KEY, v text)")
	f.ddl("CREATE TABLE z (k int PRIMARY KEY, v int) WITH gc_grace_seconds = 0")
	r := f.exec(`BEGIN BATCH USING TIMESTAMP 5
		INSERT INTO t (k, c, v) VALUES (0, 0, 0)
		UPDATE t SET v = 1 WHERE k = 0 AND c = 1
		INSERT INTO u (k, v) VALUES (?, ?)
		DELETE FROM t WHERE k = 0 AND c = 0
	APPLY BATCH`, 1, "x")
	if r.Columns != nil || len(r.Warnings) != 0 {
		t.Errorf("batch result %+v", r)
	}
	f.expect("0 1 1 5", "SELECT k, c, v, writetime(v) FROM t")
	f.expect("1 x", "SELECT * FROM u")
	// a protocol BATCH with its own values per statement
	ins, _ := f.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)")
	del, _ := f.prepare("DELETE FROM u WHERE k = ?")
	before := f.writes.Load()
	_, err := ExecuteBatch(context.Background(), f.env, BatchLogged, []BatchItem{
		{Statement: ins, Values: values(t, ins, []any{2, 2, 2})},
		{Statement: ins, Values: values(t, ins, []any{3, 3, 3})},
		{Statement: del, Values: values(t, del, []any{1})},
	}, Options{Consistency: clOne, Timestamp: 99, HasTimestamp: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.writes.Load() - before; n != 1 {
		t.Errorf("%d writes for one batch", n)
	}
	f.expect("2 99 | 3 99", "SELECT k, writetime(v) FROM t WHERE k IN (2, 3)")
	f.expect("", "SELECT * FROM u")
	sel, _ := f.prepare("SELECT * FROM t")
	_, err = ExecuteBatch(context.Background(), f.env, BatchLogged, []BatchItem{{Statement: sel}}, Options{Consistency: clOne})
	checkErr(t, "select in batch", err, CodeInvalid, "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.")
	_, err = ExecuteBatch(context.Background(), f.env, BatchLogged, []BatchItem{{Statement: ins}}, Options{Consistency: clOne})
	checkErr(t, "values", err, CodeInvalid, "There were 3 markers(?) in CQL but 0 bound variables")
	// warnings: unlogged over many partitions, size, gc_grace_seconds 0
	q := "BEGIN UNLOGGED BATCH "
	for i := 0; i < 11; i++ {
		q += "INSERT INTO u (k, v) VALUES (" + itoa(i) + ", 'x') "
	}
	r = f.exec(q + "APPLY BATCH")
	if len(r.Warnings) != 1 || r.Warnings[0] != "Unlogged batch covering 11 partitions detected against table [ks.u]. You should use a logged batch for atomicity, or asynchronous writes for performance." {
		t.Errorf("warnings %q", r.Warnings)
	}
	big := make([]byte, 3000)
	r = f.exec("BEGIN BATCH INSERT INTO u (k, v) VALUES (1, ?) INSERT INTO u (k, v) VALUES (2, ?) APPLY BATCH", string(big), string(big))
	if len(r.Warnings) != 1 || r.Warnings[0] != "Batch for [ks.u] is of size 6032, exceeding specified threshold of 5120 by 912." {
		t.Errorf("warnings %q", r.Warnings)
	}
	huge := make([]byte, 30000)
	f.fail("Batch too large", "BEGIN BATCH INSERT INTO u (k, v) VALUES (1, ?) INSERT INTO u (k, v) VALUES (2, ?) APPLY BATCH", string(huge), string(huge))
	r = f.exec("BEGIN BATCH INSERT INTO z (k, v) VALUES (1, 1) APPLY BATCH")
	if len(r.Warnings) != 1 || r.Warnings[0] != "Executing a LOGGED BATCH on table [ks.z], configured with a gc_grace_seconds of 0. The gc_grace_seconds is used to TTL batchlog entries, so setting gc_grace_seconds too low on tables involved in an atomic batch might cause batchlog entries to expire before being replayed." {
		t.Errorf("warnings %q", r.Warnings)
	}
}

func TestConsistency(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v int)")
	f.ddl("CREATE TABLE rf3.t (k int PRIMARY KEY, v int)")
	_, err := f.run(Options{Consistency: anyCL}, "SELECT * FROM t")
	checkErr(t, "ANY read", err, CodeInvalid, "ANY ConsistencyLevel is only supported for writes")
	_, err = f.run(Options{Consistency: clSerial}, "INSERT INTO t (k, v) VALUES (1, 1)")
	checkErr(t, "SERIAL write", err, CodeInvalid, "You must use conditional updates for serializable writes")
	_, err = f.run(Options{Consistency: clQuorum}, "SELECT * FROM rf3.t")
	var e *Error
	if !asError(err, &e) || e.Code != CodeUnavailable || e.Consistency != clQuorum || e.Required != 2 || e.Alive != 1 {
		t.Errorf("QUORUM on RF 3: %+v", err)
	}
	if _, err = f.run(Options{Consistency: anyCL}, "INSERT INTO rf3.t (k, v) VALUES (1, 1)"); err != nil {
		t.Errorf("ANY write: %v", err)
	}
	if _, err = f.run(Options{Consistency: clAll}, "SELECT * FROM t"); err != nil {
		t.Errorf("ALL on RF 1: %v", err)
	}
}

func TestFunctionsInTerms(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c timeuuid, ts timestamp, d date, u uuid, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, c, ts, d, u) VALUES (1, now(), toTimestamp(now()), toDate(now()), uuid())")
	r := f.exec("SELECT c, ts, d, u, toUnixTimestamp(c), dateOf(c) FROM t WHERE k = 1")
	row := r.Rows[0]
	ms := f.clock.Now().UnixMilli()
	if got := int64(be64(row[1])); got != ms {
		t.Errorf("toTimestamp(now()) = %d, want %d", got, ms)
	}
	if got := int64(be64(row[4])); got != ms {
		t.Errorf("toUnixTimestamp(c) = %d, want %d", got, ms)
	}
	if got := uint32(be64(row[2])); got != uint32(ms/86400000+1<<31) {
		t.Errorf("toDate(now()) = %d", got)
	}
	if len(row[3]) != 16 || row[3][6]>>4 != 4 {
		t.Errorf("uuid() = %x", row[3])
	}
	// now() is evaluated at each execution of a prepared statement
	s, _ := f.prepare("INSERT INTO t (k, c) VALUES (2, now())")
	for i := 0; i < 3; i++ {
		if _, err := s.Execute(ctxb(), f.env, Options{Consistency: clOne}); err != nil {
			t.Fatal(err)
		}
	}
	f.expect("3", "SELECT count(*) FROM t WHERE k = 2")
	f.expect("3", "SELECT count(*) FROM t WHERE k = 2 AND c > maxTimeuuid('2000-01-01') AND c < minTimeuuid('2100-01-01')")
	f.fail("Ambiguous call to function totimestamp (can be matched by following signatures: system.totimestamp : (timeuuid) -> timestamp, system.totimestamp : (date) -> timestamp): use type casts to disambiguate",
		"INSERT INTO t (k, c, ts) VALUES (3, now(), toTimestamp(?))")
	f.fail("Type error: cannot assign result of function system.now (type timeuuid) to ts (type timestamp)",
		"INSERT INTO t (k, c, ts) VALUES (3, now(), now())")
	f.fail("Invalid number of arguments in call to function system.now: 0 required but 1 provided",
		"INSERT INTO t (k, c) VALUES (3, now(1))")
}
