package server_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/cassa-go/cassa/internal/gocqllog"
)

// The CQL half of the crash tests' load. Each CQL writer w repeats:
//
//   - a unit of crashCols rows, all or nothing: usually a LOGGED batch
//     of one row in each of crashCols partitions of crash.cq (a batch
//     across partitions is atomic because it is one write, one commit-log
//     record); every fourth, a conditional batch (INSERT ... IF NOT
//     EXISTS, a lightweight transaction through the Paxos path) of
//     crashCols rows of one partition of crash.cql;
//   - then, once that is acknowledged, a counter increment of its row in
//     crash.cqn.
//
// One schema changer creates tables crash.qNNN. After a crash the check is
// what the Thrift load's is: every unit that had to survive is whole, no
// unit is half there, at most the one in flight beyond the acknowledged
// ones is there, the counter equals the increments acknowledged (or one
// more, the one in flight), and every table that had to survive exists.

// cqlCrashSchema creates the CQL tables of the load.
func cqlCrashSchema(t testing.TB, s *gocql.Session) {
	t.Helper()
	for _, q := range []string{
		"CREATE TABLE crash.cq (w int, i int, j int, v text, PRIMARY KEY ((w, i, j)))",
		"CREATE TABLE crash.cql (w int, i int, j int, v text, PRIMARY KEY ((w, i), j))",
		"CREATE TABLE crash.cqn (w int PRIMARY KEY, n counter)",
	} {
		mustExec(t, s, q)
	}
}

// cqlUnitValue is the value of row j of writer w's unit i.
func cqlUnitValue(w, i, j int) string { return fmt.Sprintf("q%d-%d-%d", w, i, j) }

// cqlUnit writes writer w's unit i.
func cqlUnit(s *gocql.Session, w, i int) error {
	b := s.Batch(gocql.LoggedBatch)
	for j := 0; j < crashCols; j++ {
		if i%4 == 3 {
			b.Query("INSERT INTO crash.cql (w, i, j, v) VALUES (?, ?, ?, ?) IF NOT EXISTS", w, i, j, cqlUnitValue(w, i, j))
		} else {
			b.Query("INSERT INTO crash.cq (w, i, j, v) VALUES (?, ?, ?, ?)", w, i, j, cqlUnitValue(w, i, j))
		}
	}
	b.SetConsistency(gocql.One)
	if i%4 == 3 {
		applied, iter, err := b.ExecCAS()
		if iter != nil {
			iter.Close()
		}
		if err == nil && !applied {
			err = fmt.Errorf("conditional batch %d-%d not applied", w, i)
		}
		return err
	}
	return b.Exec()
}

// cqlLoad runs the CQL writers and the CQL schema changer and records
// what was acknowledged. syncs, when set, is read right after each
// acknowledgement (the power-cut tests count commit-log fsyncs with it).
type cqlLoad struct {
	syncs func() uint64

	mu         sync.Mutex
	acked      []int      // units acknowledged per writer
	counted    []int      // counter increments acknowledged per writer
	unitSyncs  [][]uint64 // per writer and unit
	countSyncs [][]uint64 // per writer and increment
	tables     []string
	tableSyncs []uint64
	errs       []error
}

func (l *cqlLoad) now() uint64 {
	if l.syncs == nil {
		return 0
	}
	return l.syncs()
}

// total is the number of units acknowledged.
func (l *cqlLoad) total() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, a := range l.acked {
		n += a
	}
	return n
}

// run streams until stop is closed (or, with tolerate, until the server
// is gone), with one gocql session per writer. onAck is called after
// every acknowledged unit.
func (l *cqlLoad) run(t *testing.T, addr string, writers int, stop <-chan struct{}, tolerate bool, onAck func()) *sync.WaitGroup {
	t.Helper()
	l.acked, l.counted = make([]int, writers), make([]int, writers)
	l.unitSyncs, l.countSyncs = make([][]uint64, writers), make([][]uint64, writers)
	var wg sync.WaitGroup
	fail := func(err error) {
		if tolerate {
			return
		}
		l.mu.Lock()
		l.errs = append(l.errs, err)
		l.mu.Unlock()
	}
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	for w := 0; w < writers; w++ {
		s := crashSession(t, addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stopped(); i++ {
				if err := cqlUnit(s, w, i); err != nil {
					fail(fmt.Errorf("CQL writer %d unit %d: %w", w, i, err))
					return
				}
				n := l.now()
				l.mu.Lock()
				l.acked[w] = i + 1
				l.unitSyncs[w] = append(l.unitSyncs[w], n)
				l.mu.Unlock()
				if onAck != nil {
					onAck()
				}
				if err := s.Query("UPDATE crash.cqn SET n = n + 1 WHERE w = ?", w).Consistency(gocql.One).Exec(); err != nil {
					fail(fmt.Errorf("CQL writer %d increment %d: %w", w, i, err))
					return
				}
				n = l.now()
				l.mu.Lock()
				l.counted[w] = i + 1
				l.countSyncs[w] = append(l.countSyncs[w], n)
				l.mu.Unlock()
			}
		}()
	}
	sc := crashSession(t, addr)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stopped(); i++ {
			name := fmt.Sprintf("q%03d", i)
			if err := sc.Query("CREATE TABLE crash." + name + " (k int PRIMARY KEY, v text)").Exec(); err != nil {
				fail(fmt.Errorf("CQL CREATE TABLE %s: %w", name, err))
				return
			}
			n := l.now()
			l.mu.Lock()
			l.tables = append(l.tables, name)
			l.tableSyncs = append(l.tableSyncs, n)
			l.mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}()
	return &wg
}

// err reports the first failure of a run that had to succeed.
func (l *cqlLoad) err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.errs...)
}

// crashSession is a gocql session for the crash load: no retries, no
// reconnection noise, one connection.
func crashSession(t testing.TB, addr string) *gocql.Session {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	c := gocql.NewCluster(host)
	c.Port, _ = strconv.Atoi(port)
	c.Timeout, c.ConnectTimeout = 10*time.Second, 10*time.Second
	// A schema change waits for agreement, which a killed server never
	// gives: give up soon.
	c.MaxWaitSchemaAgreement = 2 * time.Second
	c.NumConns = 1
	c.Logger = &gocqllog.Recorder{}
	s, err := c.CreateSession()
	if err != nil {
		t.Fatalf("gocql connect %s: %v", addr, err)
	}
	t.Cleanup(s.Close)
	return s
}

// cqlExpect is what must be found after a crash: per writer, units and
// increments that had to survive (atLeast) and those acknowledged
// (acked), and the tables that had to survive.
type cqlExpect struct {
	atLeast, acked       []int
	countLeast, countAck []int
	tables               []string
}

// expectAll: every acknowledged write must survive (batch sync, kill -9).
func (l *cqlLoad) expectAll() cqlExpect {
	l.mu.Lock()
	defer l.mu.Unlock()
	return cqlExpect{atLeast: append([]int(nil), l.acked...), acked: append([]int(nil), l.acked...),
		countLeast: append([]int(nil), l.counted...), countAck: append([]int(nil), l.counted...),
		tables: append([]string(nil), l.tables...)}
}

// checkCQLCrashState reads the CQL load back on a restarted server, over
// a raw native connection (quicker to open than a driver session, and the
// check needs no driver).
func checkCQLCrashState(t *testing.T, addr string, e cqlExpect) {
	t.Helper()
	c := dialNative(t, addr, nil)
	i32 := func(b []byte) int { return int(int32(binary.BigEndian.Uint32(b))) }
	units := map[[2]int]map[int]string{} // (w, i) → j → v
	for _, table := range []string{"crash.cq", "crash.cql"} {
		for _, row := range cqlRowsRaw(t, c, "SELECT w, i, j, v FROM "+table) {
			w, i, j := i32(row[0]), i32(row[1]), i32(row[2])
			k := [2]int{w, i}
			if units[k] == nil {
				units[k] = map[int]string{}
			}
			if (i%4 == 3) != (table == "crash.cql") {
				t.Fatalf("unit %d-%d row in %s", w, i, table)
			}
			units[k][j] = string(row[3])
		}
	}
	counters := map[int]int64{}
	for _, row := range cqlRowsRaw(t, c, "SELECT w, n FROM crash.cqn") {
		counters[i32(row[0])] = int64(binary.BigEndian.Uint64(row[1]))
	}
	for w := range e.acked {
		present := 0
		for ; ; present++ {
			rows, ok := units[[2]int{w, present}]
			if !ok {
				break
			}
			delete(units, [2]int{w, present})
			if len(rows) != crashCols {
				t.Fatalf("CQL writer %d unit %d half applied: %d of %d rows", w, present, len(rows), crashCols)
			}
			for j, v := range rows {
				if v != cqlUnitValue(w, present, j) {
					t.Fatalf("CQL writer %d unit %d row %d = %q", w, present, j, v)
				}
			}
		}
		if present < e.atLeast[w] {
			t.Fatalf("CQL writer %d: unit %d lost (%d had to survive)", w, present, e.atLeast[w])
		}
		if present > e.acked[w]+1 {
			t.Fatalf("CQL writer %d: %d units present, at most %d may be", w, present, e.acked[w]+1)
		}
		if n := counters[w]; n < int64(e.countLeast[w]) || n > int64(e.countAck[w]+1) {
			t.Fatalf("CQL writer %d: counter %d after replay, want %d..%d (increments that had to survive .. acknowledged + 1)",
				w, n, e.countLeast[w], e.countAck[w]+1)
		}
	}
	for k := range units {
		t.Fatalf("CQL unit %d-%d is present after an earlier unit of its writer was lost", k[0], k[1])
	}
	have := map[string]bool{}
	for _, row := range cqlRowsRaw(t, c, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'crash'") {
		have[string(row[0])] = true
	}
	for _, tb := range e.tables {
		if !have[tb] {
			t.Fatalf("CQL table %s lost", tb)
		}
	}
}
