package server_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cassa-go/cassa/internal/syncbuf"
	"github.com/cassa-go/cassa/internal/testbin"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// These tests run `cassa server` as a child process, so that it can be
// killed with SIGKILL at any instant, exactly as a process crash stops it.
//
// What they cannot check: a SIGKILL ends the process, not the machine. The
// kernel's page cache keeps every byte the server wrote, fsynced or not,
// and writes it out later, so here a write acknowledged and never fsynced
// survives, and batch and periodic commitlog_sync look the same. The
// power-cut tests (crash_powercut_test.go) run the server on a vfs.MemFS
// and restart it on a CrashClone, which drops everything not fsynced.

// cassaBin is ./cmd/cassa, built once per test binary.
var cassaBin = testbin.Binary{Package: "github.com/cassa-go/cassa/cmd/cassa"}

func TestMain(m *testing.M) {
	code := m.Run()
	cassaBin.Remove()
	os.Exit(code)
}

type childServer struct {
	cmd     *exec.Cmd
	addr    string // Thrift
	cqlAddr string
	stderr  *syncbuf.Buffer
	done    chan error
}

// startChild runs `cassa server` on a free port with --data dir and waits
// until it listens (after replay).
func startChild(t *testing.T, dir string, extra ...string) *childServer {
	t.Helper()
	args := append([]string{"server", "--listen", "127.0.0.1:0", "--cql-listen", "127.0.0.1:0", "--data", dir, "--commitlog-sync", "batch"}, extra...)
	cmd := exec.Command(cassaBin.Path(t), args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &childServer{cmd: cmd, stderr: &syncbuf.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrc, cqlc := make(chan string, 1), make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "cassa server listening on "); ok {
				addrc <- a
			}
			if a, ok := strings.CutPrefix(sc.Text(), "cassa server CQL listening on "); ok {
				cqlc <- a
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { c.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.done
	})
	for c.addr == "" || c.cqlAddr == "" {
		select {
		case c.addr = <-addrc:
		case c.cqlAddr = <-cqlc:
		case err := <-c.done:
			c.done <- err
			t.Fatalf("cassa server exited before listening: %v\n%s", err, c.stderr)
		case <-time.After(60 * time.Second):
			t.Fatalf("cassa server did not start\n%s", c.stderr)
		}
	}
	return c
}

// kill9 stops the child with SIGKILL, as a crash or power cut would.
func (c *childServer) kill9(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-c.done
	c.done <- err
}

// term stops the child with SIGTERM and expects a clean exit.
func (c *childServer) term(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-c.done:
		c.done <- err
		if err != nil {
			t.Fatalf("cassa server after SIGTERM: %v\n%s", err, c.stderr)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("cassa server ignored SIGTERM\n%s", c.stderr)
	}
}

const crashCols = 5

// crashSchema creates keyspace crash with a standard and a counter CF.
func crashSchema(t *testing.T, c *client) {
	t.Helper()
	std := tg.NewCfDef()
	std.Keyspace, std.Name = "crash", "rows"
	ctr := tg.NewCfDef()
	ctr.Keyspace, ctr.Name = "crash", "ctr"
	ctr.DefaultValidationClass = strp("CounterColumnType")
	_, err := c.SystemAddKeyspace(ctx, &tg.KsDef{Name: "crash", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*tg.CfDef{std, ctr}})
	must(t, err)
	must(t, c.SetKeyspace(ctx, "crash"))
}

// crashBatch is writer w's i-th write: one batch_mutate putting crashCols
// columns into row w-i and adding 1 to counter row ctr-w, all in one
// acknowledged call.
func crashBatch(w, i int) mutationMap {
	ms := make([]*tg.Mutation, crashCols)
	for j := range ms {
		ms[j] = &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{
			Column: col(fmt.Sprintf("c%d", j), fmt.Sprintf("v%d-%d-%d", w, i, j), int64(i+1)),
		}}
	}
	add := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{
		CounterColumn: &tg.CounterColumn{Name: []byte("n"), Value: 1},
	}}
	return mutationMap{
		fmt.Sprintf("%d-%06d", w, i): {"rows": ms},
		fmt.Sprintf("ctr-%d", w):     {"ctr": {add}},
	}
}

// streamUntilKilled runs writers (and one schema changer) against addr
// until the server dies, and returns what was acknowledged: per writer
// the number of batches, and the column families created. With cqlAddr
// the CQL load (crash_cql_test.go) runs too, and the kill waits for it to
// have made progress as well.
func streamUntilKilled(t *testing.T, addr, cqlAddr string, writers int, kill func()) (acked []int, cfs []string, cql *cqlLoad) {
	t.Helper()
	cql = &cqlLoad{}
	var cqlWG *sync.WaitGroup
	cqlProgress := make(chan struct{})
	if cqlAddr != "" {
		var once sync.Once
		cqlWG = cql.run(t, cqlAddr, writers, make(chan struct{}), true, func() {
			if cql.total() >= 100 {
				once.Do(func() { close(cqlProgress) })
			}
		})
	} else {
		close(cqlProgress)
	}
	acked = make([]int, writers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	killAt := make(chan struct{})
	for w := 0; w < writers; w++ {
		c := dial(t, addr)
		must(t, c.SetKeyspace(ctx, "crash"))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if err := c.BatchMutate(ctx, crashBatch(w, i), ONE); err != nil {
					return // the server is gone
				}
				acked[w] = i + 1
				mu.Lock()
				total++
				if total == 400 {
					close(killAt)
				}
				mu.Unlock()
			}
		}()
	}
	sc := dial(t, addr)
	must(t, sc.SetKeyspace(ctx, "crash"))
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			d := tg.NewCfDef()
			d.Keyspace, d.Name = "crash", fmt.Sprintf("cf%03d", i)
			if _, err := sc.SystemAddColumnFamily(ctx, d); err != nil {
				return
			}
			mu.Lock()
			cfs = append(cfs, d.Name)
			mu.Unlock()
		}
	}()
	deadline := time.After(30 * time.Second)
	for _, ch := range []chan struct{}{killAt, cqlProgress} {
		select {
		case <-ch:
		case <-deadline:
			t.Error("writers made too little progress")
		}
	}
	kill()
	wg.Wait()
	if cqlWG != nil {
		cqlWG.Wait()
	}
	return acked, cfs, cql
}

// checkCrashState verifies, on a restarted server, that every acknowledged
// batch is whole, that no batch is half there, that at most one batch per
// writer beyond those acknowledged (the one in flight) is there, that each
// writer's counter equals the number of its batches present (so every
// counter delta was replayed exactly once), and that every acknowledged
// column family exists.
func checkCrashState(t *testing.T, c *client, acked []int, cfs []string) {
	t.Helper()
	atMost := make([]int, len(acked))
	for w, n := range acked {
		atMost[w] = n + 1
	}
	checkBatches(t, c, acked, atMost)
	checkColumnFamilies(t, c, cfs)
}

// checkColumnFamilies checks, on a restarted server, that every column
// family in cfs (each acknowledged before the crash) is in keyspace crash.
func checkColumnFamilies(t *testing.T, c *client, cfs []string) {
	t.Helper()
	ks, err := c.DescribeKeyspace(ctx, "crash")
	must(t, err)
	have := map[string]bool{}
	for _, d := range ks.CfDefs {
		have[d.Name] = true
	}
	for _, cf := range cfs {
		if !have[cf] {
			t.Fatalf("acknowledged column family %s lost", cf)
		}
	}
}

// checkBatches reads every crashBatch row on a restarted server and checks,
// for each writer w, that its batches present are 0, 1, ..., n-1 with
// atLeast[w] <= n <= atMost[w], each one whole, and that w's counter is n.
// It returns each writer's n.
func checkBatches(t *testing.T, c *client, atLeast, atMost []int) []int {
	t.Helper()
	rows := map[string][]*tg.ColumnOrSuperColumn{}
	res, err := c.GetRangeSlices(ctx, parent("rows"), columnRange("", "", false, 100), keyRange("", "", 1<<20), ONE)
	must(t, err)
	for _, r := range res {
		rows[string(r.Key)] = r.Columns
	}
	present := make([]int, len(atLeast))
	for w := range atLeast {
		n := 0
		for ; ; n++ {
			key := fmt.Sprintf("%d-%06d", w, n)
			cols, ok := rows[key]
			if !ok {
				break
			}
			delete(rows, key)
			if len(cols) != crashCols {
				t.Fatalf("writer %d batch %d half applied: %d of %d columns", w, n, len(cols), crashCols)
			}
			for j, r := range cols {
				if want := fmt.Sprintf("v%d-%d-%d", w, n, j); string(r.Column.Value) != want {
					t.Fatalf("writer %d batch %d column %d = %q, want %q", w, n, j, r.Column.Value, want)
				}
			}
		}
		if n < atLeast[w] {
			t.Fatalf("writer %d: batch %d lost (%d had to survive)", w, n, atLeast[w])
		}
		if n > atMost[w] {
			t.Fatalf("writer %d: %d batches present but at most %d may be (acknowledged, plus one in flight)", w, n, atMost[w])
		}
		got, err := c.Get(ctx, []byte(fmt.Sprintf("ctr-%d", w)), colPath("ctr", "n"), ONE)
		var v int64
		if err == nil {
			v = got.CounterColumn.Value
		} else if n > 0 {
			t.Fatalf("writer %d counter: %v", w, err)
		}
		if v != int64(n) {
			t.Fatalf("writer %d: counter %d after replay, want %d (one per batch present)", w, v, n)
		}
		present[w] = n
	}
	for key := range rows {
		t.Fatalf("batch %s is present after an earlier batch of its writer was lost", key)
	}
	return present
}

func TestCrashKill9KeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs cmd/cassa")
	}
	cases := []struct {
		name  string
		extra []string
	}{
		{"log only", []string{"--snapshot-threshold", "-1"}},
		// A tiny threshold makes snapshots (and segment removal) happen
		// all through the stream, so the kill lands around them.
		{"with snapshots", []string{"--snapshot-threshold", "20000"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			srv := startChild(t, dir, tc.extra...)
			c := dial(t, srv.addr)
			crashSchema(t, c)
			cqlCrashSchema(t, crashSession(t, srv.cqlAddr))
			acked, cfs, cql := streamUntilKilled(t, srv.addr, srv.cqlAddr, 4, func() { srv.kill9(t) })
			want := cql.expectAll()
			t.Logf("acknowledged %v Thrift batches, %d column families, %v CQL units, %v CQL increments, %d CQL tables before SIGKILL; %d snapshots",
				acked, len(cfs), want.acked, want.countAck, len(want.tables), strings.Count(srv.stderr.String(), "snapshot written"))
			if tc.name == "with snapshots" && !strings.Contains(srv.stderr.String(), "snapshot written") {
				t.Errorf("no snapshot was taken during the stream:\n%s", srv.stderr)
			}

			srv2 := startChild(t, dir, tc.extra...)
			c2 := dial(t, srv2.addr)
			must(t, c2.SetKeyspace(ctx, "crash"))
			checkCrashState(t, c2, acked, cfs)
			checkCQLCrashState(t, srv2.cqlAddr, want)

			// A second crash after recovery: the recovered state and new
			// writes survive too.
			must(t, c2.BatchMutate(ctx, crashBatch(9, 0), ONE))
			srv2.kill9(t)
			srv3 := startChild(t, dir, tc.extra...)
			c3 := dial(t, srv3.addr)
			must(t, c3.SetKeyspace(ctx, "crash"))
			checkCrashState(t, c3, append(acked, 0, 0, 0, 0, 0, 1), cfs)
			checkCQLCrashState(t, srv3.cqlAddr, want)
		})
	}
}

func TestServerSIGTERMKeepsData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs cmd/cassa")
	}
	dir := t.TempDir()
	// Periodic sync with a long period, so nothing is fsynced before the
	// clean shutdown, which must sync, snapshot and close the log.
	srv := startChild(t, dir, "--commitlog-sync", "periodic", "--commitlog-sync-period", "600000")
	c := dial(t, srv.addr)
	crashSchema(t, c)
	for i := 0; i < 20; i++ {
		must(t, c.BatchMutate(ctx, crashBatch(0, i), ONE))
	}
	srv.term(t)
	if !strings.Contains(srv.stderr.String(), "snapshot written") {
		t.Errorf("no snapshot at shutdown; stderr:\n%s", srv.stderr)
	}
	srv2 := startChild(t, dir)
	c2 := dial(t, srv2.addr)
	must(t, c2.SetKeyspace(ctx, "crash"))
	checkCrashState(t, c2, []int{20}, nil)
}
