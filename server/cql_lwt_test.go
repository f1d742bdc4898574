package server_test

import (
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Lightweight transactions over the native protocol with gocql v2, as
// Cassandra 3.11 answers them (ModificationStatement.buildCasResultSet,
// BatchStatement.executeWithConditions, StorageProxy.cas), and their
// linearizability under concurrent clients, CQL and Thrift alike.

// lwtSession starts a server and returns a session on keyspace ks (RF 1).
func lwtSession(t *testing.T, cfg server.Config) (*server.Server, *gocql.Session) {
	t.Helper()
	srv := startCQL(t, cfg)
	s := connect(t, srv, "")
	mustExec(t, s, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	return srv, connect(t, srv, "ks")
}

func TestCQLLWTForms(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE t (k int, c int, s int static, v text, l list<int>, PRIMARY KEY (k, c))")

	// INSERT IF NOT EXISTS: applied, then not applied with the whole row
	// (SELECT * columns; statics only when the statement writes them).
	m := map[string]any{}
	applied, err := s.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS", 0, 0, "a").MapScanCAS(m)
	if err != nil || !applied || len(m) != 0 {
		t.Fatalf("first insert: %v %v %v", applied, m, err)
	}
	m = map[string]any{}
	applied, err = s.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS", 0, 0, "b").MapScanCAS(m)
	want := map[string]any{"k": 0, "c": 0, "s": 0, "v": "a", "l": []int(nil)}
	if err != nil || applied || !reflect.DeepEqual(m, want) {
		t.Fatalf("second insert: applied=%v %#v %v, want %#v", applied, m, err, want)
	}
	// The result's columns, in order: [applied] first.
	iter := s.Query("INSERT INTO t (k, c, v) VALUES (0, 0, 'c') IF NOT EXISTS").Iter()
	var names []string
	for _, c := range iter.Columns() {
		names = append(names, c.Name)
	}
	iter.Close()
	if fmt.Sprint(names) != "[[applied] k c s l v]" {
		t.Errorf("IF NOT EXISTS columns %v", names)
	}

	// UPDATE IF: the condition columns with their current values.
	var v string
	applied, err = s.Query("UPDATE t SET v = 'x' WHERE k = 0 AND c = 0 IF v = ?", "z").ScanCAS(&v)
	if err != nil || applied || v != "a" {
		t.Fatalf("update IF v = z: %v %q %v", applied, v, err)
	}
	applied, err = s.Query("UPDATE t SET v = 'x' WHERE k = 0 AND c = 0 IF v = ?", "a").ScanCAS(&v)
	if err != nil || !applied {
		t.Fatalf("update IF v = a: %v %v", applied, err)
	}
	// Several conditions, a static one: regular columns first, then static.
	var sv int
	applied, err = s.Query("UPDATE t SET v = 'y', s = 1 WHERE k = 0 AND c = 0 IF s = 5 AND v = 'x'").ScanCAS(&v, &sv)
	if err != nil || applied || v != "x" || sv != 0 {
		t.Fatalf("update IF s AND v: %v %q %d %v", applied, v, sv, err)
	}
	// A list index condition and a list index write (read under the lock).
	mustExec(t, s, "UPDATE t SET l = [1, 2, 3] WHERE k = 0 AND c = 0")
	var l []int
	applied, err = s.Query("UPDATE t SET l[1] = 20 WHERE k = 0 AND c = 0 IF l[1] = 9").ScanCAS(&l)
	if err != nil || applied || fmt.Sprint(l) != "[1 2 3]" {
		t.Fatalf("list index condition: %v %v %v", applied, l, err)
	}
	if applied, err = s.Query("UPDATE t SET l[1] = 20 WHERE k = 0 AND c = 0 IF l[1] IN (2, 5)").ScanCAS(); err != nil || !applied {
		t.Fatalf("list index IN: %v %v", applied, err)
	}
	// DELETE IF EXISTS on a missing row: only [applied].
	m = map[string]any{}
	applied, err = s.Query("DELETE FROM t WHERE k = 9 AND c = 9 IF EXISTS").MapScanCAS(m)
	if err != nil || applied || len(m) != 0 {
		t.Fatalf("delete missing: %v %v %v", applied, m, err)
	}
	if applied, err = s.Query("DELETE FROM t WHERE k = 0 AND c = 0 IF EXISTS").ScanCAS(); err != nil || !applied {
		t.Fatalf("delete existing: %v %v", applied, err)
	}

	// Conditional batches: one partition, the primary key in the failure.
	b := s.NewBatch(gocql.LoggedBatch)
	b.Query("INSERT INTO t (k, c, v) VALUES (1, 1, 'one') IF NOT EXISTS")
	b.Query("INSERT INTO t (k, c, v) VALUES (1, 2, 'two') IF NOT EXISTS")
	b.Query("UPDATE t SET s = 10 WHERE k = 1")
	if applied, _, err := s.ExecuteBatchCAS(b); err != nil || !applied {
		t.Fatalf("batch: %v %v", applied, err)
	}
	b = s.NewBatch(gocql.UnloggedBatch)
	b.Query("UPDATE t SET v = 'uno' WHERE k = 1 AND c = 1 IF v = 'one'")
	b.Query("UPDATE t SET v = 'dos' WHERE k = 1 AND c = 2 IF v = 'zwei'")
	var bk, bc int
	var bv string
	applied, iter, err = s.ExecuteBatchCAS(b, &bk, &bc, &bv)
	if err != nil || applied {
		t.Fatalf("failing batch: %v %v", applied, err)
	}
	rows := []string{fmt.Sprintf("%v %d %d %s", applied, bk, bc, bv)}
	var ap bool
	for iter.Scan(&ap, &bk, &bc, &bv) {
		rows = append(rows, fmt.Sprintf("%v %d %d %s", ap, bk, bc, bv))
	}
	if err := iter.Close(); err != nil || fmt.Sprint(rows) != "[false 1 1 one false 1 2 two]" {
		t.Fatalf("failing batch rows %v %v", rows, err)
	}
	m = map[string]any{}
	b = s.NewBatch(gocql.LoggedBatch)
	b.Query("UPDATE t SET v = 'uno' WHERE k = 1 AND c = 1 IF s = ?", 11)
	if applied, _, err := s.MapExecuteBatchCAS(b, m); err != nil || applied || fmt.Sprint(m) != "map[c:1 k:1 s:10]" {
		t.Fatalf("static condition batch: %v %v %v", applied, m, err)
	}

	// Refusals.
	b = s.NewBatch(gocql.LoggedBatch)
	b.Query("INSERT INTO t (k, c, v) VALUES (1, 1, 'one') IF NOT EXISTS")
	b.Query("INSERT INTO t (k, c, v) VALUES (2, 1, 'one')")
	_, _, err = s.ExecuteBatchCAS(b)
	if re := requestError(t, err); re.Code() != gocql.ErrCodeInvalid || re.Message() != "Batch with conditions cannot span multiple partitions" {
		t.Errorf("batch over partitions: %v", err)
	}
	expectError(t, s, gocql.ErrCodeInvalid, "Cannot provide custom timestamp for conditional updates",
		"UPDATE t USING TIMESTAMP 1 SET v = 'q' WHERE k = 1 AND c = 1 IF v = 'one'")
	expectError(t, s, gocql.ErrCodeInvalid, "PRIMARY KEY column 'c' cannot have IF conditions",
		"UPDATE t SET v = 'q' WHERE k = 1 AND c = 1 IF c = 1")
	expectError(t, s, gocql.ErrCodeInvalid, "IN on the partition key is not supported with conditional updates",
		"UPDATE t SET v = 'q' WHERE k IN (1, 2) AND c = 1 IF v = 'one'")
	mustExec(t, s, "CREATE TABLE cnt (k int PRIMARY KEY, n counter)")
	expectError(t, s, gocql.ErrCodeInvalid, "Conditional updates are not supported on counter tables",
		"UPDATE cnt SET n = n + 1 WHERE k = 0 IF EXISTS")
}

func TestCQLLWTConsistency(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v int)")
	mustExec(t, s, "CREATE KEYSPACE ks3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")
	mustExec(t, s, "CREATE TABLE ks3.t (k int PRIMARY KEY, v int)")
	for _, sc := range []gocql.Consistency{gocql.Serial, gocql.LocalSerial} {
		if applied, err := s.Query("UPDATE t SET v = 1 WHERE k = ? IF v = null", int(sc)).SerialConsistency(sc).ScanCAS(); err != nil || !applied {
			t.Errorf("serial consistency %v: %v %v", sc, applied, err)
		}
	}
	// SERIAL as the commit consistency is refused (ConsistencyLevel.validateForCasCommit).
	err := s.Query("UPDATE t SET v = 2 WHERE k = 0 IF v = null").Consistency(gocql.Serial).Exec()
	if re := requestError(t, err); re.Message() != `SERIAL is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"` {
		t.Errorf("commit at SERIAL: %v", err)
	}
	// ANY commits.
	if applied, err := s.Query("UPDATE t SET v = 2 WHERE k = 7 IF v = null").Consistency(gocql.Any).ScanCAS(); err != nil || !applied {
		t.Errorf("commit at ANY: %v %v", applied, err)
	}
	// RF 3 on one node: Paxos has its one participant (the nodes that hold
	// a replica, StorageProxy.getPaxosParticipants), then the read of the
	// current values at QUORUM of three replicas is unavailable.
	err = s.Query("INSERT INTO ks3.t (k, v) VALUES (0, 1) IF NOT EXISTS").Consistency(gocql.One).Exec()
	var ue *gocql.RequestErrUnavailable
	if !errors.As(err, &ue) || ue.Consistency != gocql.Quorum || ue.Required != 2 || ue.Alive != 1 {
		t.Errorf("RF 3: %#v", err)
	}
	// Plain writes may not be serial; a serial read is.
	expectErrorCL(t, s, gocql.Serial, "You must use conditional updates for serializable writes", "INSERT INTO t (k, v) VALUES (5, 5)")
	var v int
	if err := s.Query("SELECT v FROM t WHERE k = 7").Consistency(gocql.Serial).Scan(&v); err != nil || v != 2 {
		t.Errorf("serial read: %d %v", v, err)
	}
}

func expectErrorCL(t *testing.T, s *gocql.Session, cl gocql.Consistency, msg, stmt string) {
	t.Helper()
	err := s.Query(stmt).Consistency(cl).Exec()
	if re := requestError(t, err); re.Message() != msg {
		t.Errorf("%s: %q, want %q", stmt, re.Message(), msg)
	}
}

// casOp is one compare-and-set attempt of a history: the register key
// from value from to value to; when it did not apply, observed is the
// value it saw.
type casOp struct {
	key              string
	from, to         int
	applied          bool
	observed         int
	start, end       time.Time
	client, sequence int
}

// casHistory collects the operations of concurrent clients.
type casHistory struct {
	mu  sync.Mutex
	ops []casOp
}

// record adds op and notes in known, its client's view of each key, the
// value op left or saw (seen; nil when it saw none, as after a timeout).
func (h *casHistory) record(op casOp, seen *int, known map[string]int) {
	switch {
	case op.applied:
		known[op.key] = op.to
	case seen != nil:
		op.observed = *seen
		known[op.key] = *seen
	default:
		delete(known, op.key)
	}
	h.mu.Lock()
	h.ops = append(h.ops, op)
	h.mu.Unlock()
}

// check runs checkLinearizable on the history, once the clients are done,
// and returns the final value of each key.
func (h *casHistory) check(t *testing.T) map[string]int {
	t.Helper()
	final, err := checkLinearizable(h.ops)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d operations, final values %v", len(h.ops), final)
	return final
}

// checkLinearizable checks a history of increments on registers that
// start absent (-1) and are created with the value 0: per key, the
// applied operations form one chain -1→0→1→…→n, each transition applied
// once (no lost update, no double apply); real-time order agrees with the
// chain (an operation that finished before another started comes earlier
// in it); and every failed operation saw a value that was current at some
// point while it ran. It returns the final value of each key.
func checkLinearizable(history []casOp) (map[string]int, error) {
	byKey := map[string][]casOp{}
	for _, op := range history {
		byKey[op.key] = append(byKey[op.key], op)
	}
	final := map[string]int{}
	for key, ops := range byKey {
		producer := map[int]casOp{} // value -> the op that wrote it
		for _, op := range ops {
			if !op.applied {
				continue
			}
			if op.to != op.from+1 {
				return nil, fmt.Errorf("%s: applied op %d→%d is not an increment", key, op.from, op.to)
			}
			if prev, dup := producer[op.to]; dup {
				return nil, fmt.Errorf("%s: value %d written twice (%+v, %+v)", key, op.to, prev, op)
			}
			producer[op.to] = op
		}
		n := len(producer) - 1
		for v := 0; v <= n; v++ {
			if _, ok := producer[v]; !ok {
				return nil, fmt.Errorf("%s: chain has a gap at %d (applied %d ops)", key, v, n+1)
			}
		}
		for v := 1; v <= n; v++ {
			a, b := producer[v-1], producer[v]
			if b.end.Before(a.start) {
				return nil, fmt.Errorf("%s: %d→%d finished before %d→%d started", key, b.from, b.to, a.from, a.to)
			}
		}
		for _, op := range ops {
			if op.applied {
				continue
			}
			w, ok := producer[op.observed]
			if op.observed >= 0 && !ok {
				return nil, fmt.Errorf("%s: op saw %d, which was never written", key, op.observed)
			}
			if ok && w.start.After(op.end) {
				return nil, fmt.Errorf("%s: op saw %d before it was written", key, op.observed)
			}
			if next, ok := producer[op.observed+1]; ok && next.end.Before(op.start) {
				return nil, fmt.Errorf("%s: op saw %d after it was overwritten", key, op.observed)
			}
		}
		final[key] = n
	}
	return final, nil
}

// TestLinearizabilityChecker makes sure the checker refuses what it must.
func TestLinearizabilityChecker(t *testing.T) {
	at := func(s, e int) (time.Time, time.Time) {
		base := time.Unix(0, 0)
		return base.Add(time.Duration(s) * time.Millisecond), base.Add(time.Duration(e) * time.Millisecond)
	}
	op := func(from, to int, applied bool, observed, s, e int) casOp {
		st, en := at(s, e)
		return casOp{key: "k", from: from, to: to, applied: applied, observed: observed, start: st, end: en}
	}
	good := []casOp{op(-1, 0, true, -1, 0, 1), op(0, 1, true, -1, 2, 3), op(0, 1, false, 1, 4, 5)}
	if _, err := checkLinearizable(good); err != nil {
		t.Fatalf("good history: %v", err)
	}
	for name, h := range map[string][]casOp{
		"lost update":   {op(-1, 0, true, -1, 0, 1), op(0, 1, true, -1, 2, 3), op(0, 1, true, -1, 2, 3)},
		"gap":           {op(-1, 0, true, -1, 0, 1), op(1, 2, true, -1, 2, 3)},
		"time travel":   {op(-1, 0, true, -1, 5, 6), op(0, 1, true, -1, 0, 1)},
		"stale read":    {op(-1, 0, true, -1, 0, 1), op(0, 1, true, -1, 2, 3), op(-1, 0, false, 0, 4, 5)},
		"phantom value": {op(-1, 0, true, -1, 0, 1), op(0, 1, false, 7, 2, 3)},
		"future read":   {op(-1, 0, true, -1, 0, 1), op(0, 1, true, -1, 5, 6), op(0, 1, false, 1, 2, 3)},
	} {
		if _, err := checkLinearizable(h); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestCQLLWTLinearizable runs concurrent gocql clients doing
// compare-and-set increments (IF NOT EXISTS to create, IF v = x to
// increment) on a few keys and checks the history.
func TestCQLLWTLinearizable(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE reg (k text PRIMARY KEY, v int)")
	const clients, perClient = 8, 40
	keys := []string{"a", "b", "c"}
	var history casHistory
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(c)))
			known := map[string]int{}
			for i := 0; i < perClient; i++ {
				key := keys[rng.Intn(len(keys))]
				cur, ok := known[key]
				op := casOp{key: key, client: c, sequence: i, observed: -1}
				op.start = time.Now()
				var err error
				var seen *int
				if !ok {
					op.from, op.to = -1, 0
					m := map[string]any{}
					op.applied, err = s.Query("INSERT INTO reg (k, v) VALUES (?, 0) IF NOT EXISTS", key).MapScanCAS(m)
					if v, ok := m["v"].(int); ok {
						seen = &v
					}
				} else {
					op.from, op.to = cur, cur+1
					var v *int
					op.applied, err = s.Query("UPDATE reg SET v = ? WHERE k = ? IF v = ?", cur+1, key, cur).ScanCAS(&v)
					seen = v
				}
				op.end = time.Now()
				if err != nil {
					t.Error(err)
					return
				}
				history.record(op, seen, known)
			}
		}(c)
	}
	wg.Wait()
	final := history.check(t)
	for _, key := range keys {
		var v int
		if err := s.Query("SELECT v FROM reg WHERE k = ?", key).Consistency(gocql.Serial).Scan(&v); err != nil {
			if _, ok := final[key]; ok {
				t.Fatalf("read %s: %v", key, err)
			}
			continue
		}
		if v != final[key] {
			t.Errorf("%s = %d, %d increments applied", key, v, final[key])
		}
	}
}

// TestCQLLWTWithThriftCas runs CQL lightweight transactions and Thrift
// cas on the same partitions of a column family both protocols see: the
// two serialise on the partition, so the combined history is linearizable.
func TestCQLLWTWithThriftCas(t *testing.T) {
	srv, _ := lwtSession(t, server.Config{})
	tc := dial(t, srv.Addr())
	cf := tg.NewCfDef()
	cf.Keyspace, cf.Name = "ks", "Reg"
	cf.KeyValidationClass = strp("UTF8Type")
	cf.ComparatorType = "UTF8Type"
	cf.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("v"), ValidationClass: "UTF8Type"}}
	must(t, tc.SetKeyspace(ctx, "ks"))
	if _, err := tc.SystemAddColumnFamily(ctx, cf); err != nil {
		t.Fatal(err)
	}
	// The CQL client learns the new table.
	s2 := connect(t, srv, "ks")
	keys := []string{"x", "y"}
	var history casHistory
	var wg sync.WaitGroup
	const workers, perWorker = 6, 30
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(100 + w)))
			thrift := w%2 == 1
			var c *client
			if thrift {
				c = dial(t, srv.Addr())
				if err := c.SetKeyspace(ctx, "ks"); err != nil {
					t.Error(err)
					return
				}
			}
			known := map[string]int{}
			for i := 0; i < perWorker; i++ {
				key := keys[rng.Intn(len(keys))]
				cur, ok := known[key]
				op := casOp{key: key, client: w, sequence: i, observed: -1, from: -1, to: 0}
				if ok {
					op.from, op.to = cur, cur+1
				}
				op.start = time.Now()
				var seen *int
				if thrift {
					expected := []*tg.Column{}
					if ok {
						expected = []*tg.Column{col("v", strconv.Itoa(cur), 1)}
					}
					r, err := c.Cas(ctx, []byte(key), "Reg", expected, []*tg.Column{col("v", strconv.Itoa(op.to), 1)},
						tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
					if err != nil {
						t.Error(err)
						return
					}
					op.applied = r.Success
					for _, cv := range r.CurrentValues {
						if string(cv.Name) == "v" {
							n, _ := strconv.Atoi(string(cv.Value))
							seen = &n
						}
					}
				} else {
					var v *string
					var err error
					if ok {
						op.applied, err = s2.Query(`UPDATE "Reg" SET v = ? WHERE key = ? IF v = ?`, strconv.Itoa(op.to), key, strconv.Itoa(cur)).ScanCAS(&v)
					} else {
						m := map[string]any{}
						op.applied, err = s2.Query(`INSERT INTO "Reg" (key, v) VALUES (?, '0') IF NOT EXISTS`, key).MapScanCAS(m)
						if x, ok := m["v"].(string); ok {
							v = &x
						}
					}
					if err != nil {
						t.Error(err)
						return
					}
					if v != nil {
						n, _ := strconv.Atoi(*v)
						seen = &n
					}
				}
				op.end = time.Now()
				history.record(op, seen, known)
			}
		}(w)
	}
	wg.Wait()
	final := history.check(t)
	var got []string
	for _, key := range keys {
		var v string
		if err := s2.Query(`SELECT v FROM "Reg" WHERE key = ?`, key).Scan(&v); err == nil {
			got = append(got, key+"="+v)
		}
	}
	var want []string
	for _, key := range keys {
		if n, ok := final[key]; ok {
			want = append(want, key+"="+strconv.Itoa(n))
		}
	}
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("final values %v, want %v", got, want)
	}
	applied := map[bool]int{}
	for _, op := range history.ops {
		if op.applied {
			applied[op.client%2 == 1]++
		}
	}
	if applied[true] == 0 || applied[false] == 0 {
		t.Errorf("both protocols should have applied some operations: %v", applied)
	}
}

// TestCQLLWTDurable: an applied transaction goes through the commit log.
func TestCQLLWTDurable(t *testing.T) {
	dir := t.TempDir()
	cfg := server.Config{DataDir: dir, CommitLogSync: "batch"}
	srv, s := lwtSession(t, cfg)
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v int)")
	if applied, err := s.Query("INSERT INTO t (k, v) VALUES (1, 1) IF NOT EXISTS").ScanCAS(); err != nil || !applied {
		t.Fatal(applied, err)
	}
	if applied, err := s.Query("UPDATE t SET v = 2 WHERE k = 1 IF v = 1").ScanCAS(); err != nil || !applied {
		t.Fatal(applied, err)
	}
	s.Close()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv2 := startCQL(t, cfg)
	s2 := connect(t, srv2, "ks")
	var v int
	if err := s2.Query("SELECT v FROM t WHERE k = 1").Scan(&v); err != nil || v != 2 {
		t.Fatalf("after restart: %d %v", v, err)
	}
}

// The serial consistency is honoured as 3.11's StorageProxy.cas and
// readWithPaxos honour it on a node of datacenter1: LOCAL_SERIAL counts
// Paxos participants and reads at LOCAL_QUORUM in this datacenter only,
// SERIAL reads at QUORUM of every datacenter's replicas, and a keyspace
// with no replica here has no participant at all.
func TestCQLLWTSerialConsistencyByDatacenter(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE KEYSPACE two WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1, 'dc2': 2}")
	mustExec(t, s, "CREATE TABLE two.t (k int PRIMARY KEY, v int)")
	mustExec(t, s, "CREATE KEYSPACE away WITH replication = {'class': 'NetworkTopologyStrategy', 'dc2': 1}")
	mustExec(t, s, "CREATE TABLE away.t (k int PRIMARY KEY, v int)")
	unavailable := func(what string, err error, cl gocql.Consistency, required, alive int) {
		t.Helper()
		var ue *gocql.RequestErrUnavailable
		if !errors.As(err, &ue) || ue.Consistency != cl || ue.Required != required || ue.Alive != alive {
			t.Errorf("%s: %#v, want Unavailable %v %d/%d", what, err, cl, required, alive)
		}
	}

	// LOCAL_SERIAL with a LOCAL_QUORUM commit: datacenter1 alone decides.
	applied, err := s.Query("INSERT INTO two.t (k, v) VALUES (1, 1) IF NOT EXISTS").
		Consistency(gocql.LocalQuorum).SerialConsistency(gocql.LocalSerial).ScanCAS()
	if err != nil || !applied {
		t.Fatalf("LOCAL_SERIAL: applied=%v %v", applied, err)
	}
	var v int
	if err := s.Query("SELECT v FROM two.t WHERE k = 1").Consistency(gocql.LocalSerial).Scan(&v); err != nil || v != 1 {
		t.Errorf("LOCAL_SERIAL read: %d %v", v, err)
	}
	// SERIAL reads at QUORUM of all three replicas: two of them are in dc2.
	err = s.Query("INSERT INTO two.t (k, v) VALUES (2, 2) IF NOT EXISTS").
		Consistency(gocql.LocalQuorum).SerialConsistency(gocql.Serial).Exec()
	unavailable("SERIAL", err, gocql.Quorum, 2, 1)
	err = s.Query("SELECT v FROM two.t WHERE k = 1").Consistency(gocql.Serial).Exec()
	unavailable("SERIAL read", err, gocql.Quorum, 2, 1)

	// No replica in this datacenter: no Paxos participant.
	for _, sc := range []gocql.Consistency{gocql.Serial, gocql.LocalSerial} {
		err = s.Query("INSERT INTO away.t (k, v) VALUES (1, 1) IF NOT EXISTS").
			Consistency(gocql.Any).SerialConsistency(sc).Exec()
		unavailable("no local replica, "+sc.String(), err, sc, 1, 0)
	}
}
