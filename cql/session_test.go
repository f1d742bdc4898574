package cql_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/query"
)

const usersSchema = `CREATE TABLE {ks}.users (id int PRIMARY KEY, name text, age int, tags set<text>, born timestamp, pair tuple<int, text>)`

func TestSessionReadWrite(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, usersSchema)
	ctx := testCtx(t)
	born := time.Date(1985, 4, 12, 0, 0, 0, 0, time.UTC)
	for i, name := range []string{"ann", "bob", "cat"} {
		if err := db.Exec(ctx, "INSERT INTO users (id, name, age, tags, born, pair) VALUES (?, ?, ?, ?, ?, (?, ?))",
			i+1, name, 30+i, []string{"go", name}, born, i, name, cql.Consistency(cassa.One)); err != nil {
			t.Fatal(err)
		}
	}

	row, err := db.Get(ctx, "SELECT id, name, age, tags, born, pair FROM users WHERE id = ?", 2)
	if err != nil {
		t.Fatal(err)
	}
	var (
		id, age int
		name    string
		tags    []string
		when    time.Time
		p0      int
		p1      string
	)
	if err := row.Scan(&id, &name, &age, &tags, &when, &p0, &p1); err != nil {
		t.Fatal(err)
	}
	if id != 2 || name != "bob" || age != 31 || len(tags) != 2 || !when.Equal(born) || p0 != 1 || p1 != "bob" {
		t.Errorf("scan: %v %v %v %v %v %v %v", id, name, age, tags, when, p0, p1)
	}
	if n, err := cql.Col[string](row, "name"); err != nil || n != "bob" {
		t.Errorf("Col[string]: %q %v", n, err)
	}
	if a, err := cql.Col[int64](row, "age"); err != nil || a != 31 {
		t.Errorf("Col[int64] of an int: %v %v", a, err)
	}
	if v, err := row.Value("age"); err != nil || v != 31 {
		t.Errorf("Value(age) = %#v %v", v, err)
	}
	if _, err := row.Value("nope"); err == nil || !strings.Contains(err.Error(), "pair[1]") {
		t.Errorf("Value of a missing column: %v", err)
	}
	m, err := row.Map()
	if err != nil || m["pair[1]"] != "bob" || m["name"] != "bob" {
		t.Errorf("Map: %v %v", m, err)
	}
	cols := row.Columns()
	if len(cols) != 7 || cols[3].Type != "set<text>" || cols[4].Type != "timestamp" || cols[5].Name != "pair[0]" {
		t.Errorf("columns %+v", cols)
	}
	if err := row.Scan(&id); err == nil {
		t.Error("Scan into too few destinations succeeded")
	}
	if err := row.Scan(nil, &name, nil, nil, nil, nil, nil); err != nil || name != "bob" {
		t.Errorf("Scan with skipped columns: %v", err)
	}

	// NULL, ErrNotFound.
	if err := db.Exec(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", 9, "nil age"); err != nil {
		t.Fatal(err)
	}
	row, err = db.Get(ctx, "SELECT age FROM users WHERE id = ?", 9)
	if err != nil {
		t.Fatal(err)
	}
	var agep *int
	if err := row.Scan(&agep); err != nil || agep != nil || !row.IsNull("age") {
		t.Errorf("NULL: %v %v %v", agep, err, row.IsNull("age"))
	}
	if v, _ := row.Value("age"); v != nil {
		t.Errorf("Value of NULL = %#v", v)
	}
	if _, err := db.Get(ctx, "SELECT age FROM users WHERE id = ?", 404); !errors.Is(err, cassa.ErrNotFound) {
		t.Errorf("Get of a missing row: %v", err)
	}

	// Query: every row, one page at a time.
	var names []string
	for row, err := range db.Query(ctx, "SELECT name FROM users", cql.PageSize(2)) {
		if err != nil {
			t.Fatal(err)
		}
		n, _ := cql.Col[string](row, "name")
		names = append(names, n)
	}
	if len(names) != 4 {
		t.Errorf("Query read %v", names)
	}
	// Breaking out of the loop stops it.
	n := 0
	for range db.Query(ctx, "SELECT name FROM users", cql.PageSize(1)) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("break: %d rows", n)
	}
	// An error ends the iteration.
	for row, err := range db.Query(ctx, "SELECT name FROM nosuch") {
		if row != nil || !errors.As(err, new(*cassa.InvalidRequestError)) {
			t.Errorf("Query on a missing table yielded %v, %v", row, err)
		}
	}

	// Rows, as database/sql.
	rows := db.Rows(ctx, "SELECT id, name FROM users WHERE id IN ?", []int{1, 3})
	if err := rows.Scan(&id, &name); err == nil {
		t.Error("Scan before Next succeeded")
	}
	got := map[int]string{}
	for rows.Next() {
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		got[id] = name
	}
	if err := rows.Close(); err != nil || len(got) != 2 || got[3] != "cat" || rows.Close() != nil {
		t.Errorf("rows: %v %v", got, err)
	}
	if rows.Row() != nil || rows.Next() {
		t.Error("closed Rows still has a row")
	}

	// Options among the values.
	if err := db.Exec(ctx, "UPDATE users SET age = ? WHERE id = ?", cql.Consistency(cassa.All), 41, cql.Idempotent(true), 1); err != nil {
		t.Fatal(err)
	}
	row, _ = db.Get(ctx, "SELECT age FROM users WHERE id = ?", 1)
	if a, _ := cql.Col[int](row, "age"); a != 41 {
		t.Errorf("age %d after the update", a)
	}
	if err := db.Exec(ctx, "DELETE FROM users WHERE id = ?", 1, cql.Unlogged()); !errors.Is(err, cql.ErrInvalidOption) {
		t.Errorf("batch option on a statement: %v", err)
	}
	if err := db.Exec(ctx, "SELECT * FROM users", cql.Consistency(42)); !errors.Is(err, cql.ErrInvalidOption) {
		t.Errorf("bad consistency: %v", err)
	}
	if err := db.Exec(ctx, "SELECT * FROM users", cql.SerialConsistency(cassa.One)); !errors.Is(err, cql.ErrInvalidOption) {
		t.Errorf("bad serial consistency: %v", err)
	}
}

// TestTimestamps: a write takes one client timestamp when it is called
// (or Timestamp's), so an older timestamp loses even when written later.
func TestTimestamps(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, usersSchema)
	ctx := testCtx(t)
	before := time.Now().UnixMicro()
	if err := db.Exec(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", 1, "now"); err != nil {
		t.Fatal(err)
	}
	row, _ := db.Get(ctx, "SELECT WRITETIME(name) FROM users WHERE id = ?", 1)
	var wt int64
	_ = row.Scan(&wt)
	if wt < before || wt > time.Now().UnixMicro() {
		t.Errorf("writetime %d not taken at the call (%d)", wt, before)
	}
	if err := db.Exec(ctx, "UPDATE users SET name = ? WHERE id = ?", "new", 2, cql.Timestamp(2000)); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "UPDATE users SET name = ? WHERE id = ?", "old", 2, cql.Timestamp(1000)); err != nil {
		t.Fatal(err)
	}
	row, _ = db.Get(ctx, "SELECT name, WRITETIME(name) FROM users WHERE id = ?", 2)
	var name string
	_ = row.Scan(&name, &wt)
	if name != "new" || wt != 2000 {
		t.Errorf("%q written at %d, want new at 2000", name, wt)
	}
}

const feedSchema = `CREATE TABLE {ks}.feed (user text, seq int, body text, PRIMARY KEY (user, seq))`

func fillFeed(t *testing.T, db *cql.Session, user string, n int) {
	t.Helper()
	ctx := testCtx(t)
	b := db.Batch(cql.QueueSize(cql.NoAutoSend))
	for i := range n {
		if err := b.Queue(ctx, "INSERT INTO feed (user, seq, body) VALUES (?, ?, ?)", user, i, fmt.Sprintf("post %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestPageTokens: one page at a time, resumed by an opaque token on
// another session (another process), and refused when tampered with or
// given to another statement.
func TestPageTokens(t *testing.T) {
	key := []byte("the web tier's page token key")
	db, ks := openTest(t, cql.Config{PageTokenKey: key}, feedSchema)
	ctx := testCtx(t)
	fillFeed(t, db, "ann", 25)
	fillFeed(t, db, "bob", 3)
	const q = "SELECT seq, body FROM feed WHERE user = ?"

	other, err := cql.Open(ctx, cql.Config{Hosts: testHosts(t), Keyspace: ks, PageTokenKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	sessions := []*cql.Session{db, other}

	var seqs []int
	token, pages := "", 0
	for {
		rows := sessions[pages%2].Rows(ctx, q, "ann", cql.PageSize(10), cql.PageToken(token))
		n := 0
		for rows.Next() {
			var seq int
			var body string
			if err := rows.Scan(&seq, &body); err != nil {
				t.Fatal(err)
			}
			seqs = append(seqs, seq)
			n++
		}
		if err := rows.Close(); err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if n > 10 {
			t.Fatalf("page %d held %d rows", pages, n)
		}
		pages++
		token = rows.PageToken()
		if token == "" {
			break
		}
		if strings.Contains(token, "ann") || strings.ContainsAny(token, "+/=") {
			t.Errorf("token %q is not opaque and URL-safe", token)
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if len(seqs) != 25 || pages != 3 || seqs[24] != 24 {
		t.Errorf("%d rows in %d pages: %v", len(seqs), pages, seqs)
	}

	// A token resumes only its statement, on sessions sharing the key.
	rows := db.Rows(ctx, q, "ann", cql.PageSize(10), cql.PageToken(""))
	rows.Close()
	tok := rows.PageToken()
	if tok == "" {
		t.Fatal("no token after the first page")
	}
	before := db.Stats().Requests
	misuses := map[string]*cql.Rows{
		"other statement": db.Rows(ctx, "SELECT seq FROM feed WHERE user = ?", "ann", cql.PageToken(tok)),
		"other types":     db.Rows(ctx, q, []byte("ann"), cql.PageToken(tok)),
		"tampered":        db.Rows(ctx, q, "ann", cql.PageToken(tok[:len(tok)-2]+"AA")),
	}
	// The per-call keyspace needs protocol v5 (Cassandra 4.0 and later);
	// the embedded server speaks v4, as 3.11 does, and Keyspace then fails
	// before the token is looked at.
	if v := db.ProtocolVersion(); v >= 5 {
		misuses["other keyspace"] = db.Rows(ctx, q, "ann", cql.PageToken(tok), cql.Keyspace("system"))
	} else {
		t.Logf("other keyspace: skipped, the per-call keyspace needs protocol v5 and the session speaks v%d", v)
	}
	for name, r := range misuses {
		if r.Next() || !errors.Is(r.Err(), cql.ErrBadPageToken) {
			t.Errorf("%s: %v", name, r.Err())
		}
	}
	if db.Stats().Requests != before {
		t.Error("a refused token was sent")
	}
	stranger, err := cql.Open(ctx, cql.Config{Hosts: testHosts(t), Keyspace: ks})
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close(ctx)
	if r := stranger.Rows(ctx, q, "ann", cql.PageToken(tok)); r.Next() || !errors.Is(r.Err(), cql.ErrBadPageToken) {
		t.Errorf("a session with another key opened the token: %v", r.Err())
	}
	// The same shape for another user resumes at the same position: the
	// token cannot widen the query, which the application builds.
	r := db.Rows(ctx, q, "bob", cql.PageToken(tok))
	if err := r.Close(); err != nil {
		t.Errorf("same statement, another user: %v", err)
	}

	// Query with PageToken yields one page.
	n := 0
	for _, err := range db.Query(ctx, q, "ann", cql.PageSize(7), cql.PageToken("")) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 7 {
		t.Errorf("Query with PageToken read %d rows, want one page of 7", n)
	}
	// Without PageToken there is no token.
	r = db.Rows(ctx, q, "ann", cql.PageSize(7))
	r.Close()
	if r.PageToken() != "" {
		t.Error("auto-paging Rows handed out a token")
	}
}

func TestServerErrors(t *testing.T) {
	db, ks := openTest(t, cql.Config{}, usersSchema)
	ctx := testCtx(t)
	hosts := testHosts(t)
	for name, tc := range map[string]struct {
		stmt  string
		args  []any
		check func(error) bool
	}{
		"unknown table": {"SELECT * FROM nosuch", nil, func(err error) bool {
			var e *cassa.InvalidRequestError
			return errors.As(err, &e) && strings.Contains(e.Why, "nosuch") && e.Host == hosts[0] && e.Op == "SELECT * FROM nosuch"
		}},
		"unknown keyspace": {"SELECT * FROM nope.users", nil, func(err error) bool {
			return errors.As(err, new(*cassa.InvalidRequestError))
		}},
		"syntax": {"SELEC * FROM users", nil, func(err error) bool {
			var e *cassa.InvalidRequestError
			return errors.As(err, &e) && strings.Contains(e.Why, "SELEC")
		}},
		"bad value": {"SELECT * FROM users WHERE id = ?", []any{"x"}, func(err error) bool {
			return errors.As(err, new(*cql.ClientError)) && errors.As(err, new(gocql.MarshalError))
		}},
		"already exists": {"CREATE TABLE " + ks + ".users (id int PRIMARY KEY)", nil, func(err error) bool {
			var e *cql.AlreadyExistsError
			return errors.As(err, &e) && e.Table == "users" && errors.As(err, new(*cassa.InvalidRequestError))
		}},
		"serial write": {"INSERT INTO users (id) VALUES (1)", []any{cql.Consistency(cassa.Serial)}, func(err error) bool {
			return errors.As(err, new(*cassa.InvalidRequestError))
		}},
	} {
		t.Run(name, func(t *testing.T) {
			err := db.Exec(ctx, tc.stmt, tc.args...)
			if !tc.check(err) {
				t.Errorf("%s: %T %v", tc.stmt, err, err)
			}
		})
	}
	st := db.Stats()
	if st.Failures.Invalid < 4 {
		t.Errorf("stats count %d invalid requests: %+v", st.Failures.Invalid, st.Failures)
	}
}

// TestRetries: an unavailable keyspace (RF 3 on one node, QUORUM) fails
// every attempt without applying anything, so even a write that is not
// idempotent is retried, and the error says how many attempts were made.
func TestRetries(t *testing.T) {
	var mu sync.Mutex
	var retries []cql.RetryEvent
	rec := &recorder{retry: func(e cql.RetryEvent) { mu.Lock(); retries = append(retries, e); mu.Unlock() }}
	db, ks := openTest(t, cql.Config{MaxRetries: 2, BackoffBase: time.Millisecond, Listeners: []cql.Listener{rec}})
	ctx := testCtx(t)
	admin := openAdmin(t, cql.Config{})
	wide := ks + "_rf3"
	if err := admin.Exec(ctx, "CREATE KEYSPACE "+wide+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Exec(context.Background(), "DROP KEYSPACE IF EXISTS "+wide) })
	if err := admin.Exec(ctx, "CREATE TABLE "+wide+".c (k int PRIMARY KEY, n counter)"); err != nil {
		t.Fatal(err)
	}
	before := db.Stats()
	err := db.Exec(ctx, "UPDATE "+wide+".c SET n = n + 1 WHERE k = 1", cql.Consistency(cassa.Quorum))
	var mr *cql.MaxRetriesError
	if !errors.As(err, &mr) || mr.Attempts != 3 || !errors.Is(err, cassa.ErrUnavailable) {
		t.Fatalf("counter update at QUORUM on RF 3, one node: %T %v", err, err)
	}
	after := db.Stats()
	if after.Retries-before.Retries != 2 || after.Failures.Unavailable-before.Failures.Unavailable != 3 {
		t.Errorf("stats: %d retries, %d unavailable", after.Retries-before.Retries, after.Failures.Unavailable-before.Failures.Unavailable)
	}
	mu.Lock()
	if len(retries) != 2 || retries[0].Attempt != 1 || retries[1].Attempt != 2 || !errors.Is(retries[0].Err, cassa.ErrUnavailable) {
		t.Errorf("retry events %+v", retries)
	}
	mu.Unlock()
	err = db.Exec(ctx, "SELECT * FROM "+wide+".c", cql.Consistency(cassa.Quorum), cql.Retries(cql.NoRetries))
	var ue *cassa.UnavailableError
	if !errors.As(err, &ue) || errors.As(err, &mr) {
		t.Errorf("without retries: %T %v", err, err)
	}
}

// recorder is a Listener that hands events to functions.
type recorder struct {
	cql.NopListener
	mu     sync.Mutex
	events []string
	retry  func(cql.RetryEvent)
}

func (r *recorder) note(s string) { r.mu.Lock(); r.events = append(r.events, s); r.mu.Unlock() }
func (r *recorder) ConnectionCreated(e cql.ConnEvent) {
	r.note("created " + e.Host)
}
func (r *recorder) ConnectionFailed(e cql.FailEvent) {
	r.note(fmt.Sprintf("failed %s %q %d %v", e.Host, e.Op, e.Attempt, e.Err))
}
func (r *recorder) Retrying(e cql.RetryEvent) {
	if r.retry != nil {
		r.retry(e)
	}
}
func (r *recorder) SessionClosed(e cql.SessionEvent) { r.note("closed " + e.Session) }
func (r *recorder) seen(prefix string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if strings.HasPrefix(e, prefix) {
			return true
		}
	}
	return false
}

func TestListenersAndStats(t *testing.T) {
	rec := &recorder{}
	db, _ := openTest(t, cql.Config{Listeners: []cql.Listener{rec}, Name: "stats-test"}, usersSchema)
	ctx := testCtx(t)
	if db.Name() != "stats-test" {
		t.Errorf("name %q", db.Name())
	}
	st := db.Stats()
	if st.Connects < 1 || st.Requests != 0 {
		t.Errorf("after Open: %+v", st)
	}
	if !rec.seen("created " + testHosts(t)[0]) {
		t.Errorf("no ConnectionCreated: %v", rec.events)
	}
	for i := range 5 {
		_ = db.Exec(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", i, "x")
	}
	for range db.Query(ctx, "SELECT * FROM users") {
	}
	_ = db.Exec(ctx, "SELECT * FROM nosuch")
	st = db.Stats()
	if st.Requests != 7 || st.Failed != 1 || st.Failures.Invalid != 1 || st.Rows != 5 || st.Latency <= 0 || st.MaxLatency <= 0 {
		t.Errorf("stats %+v", st)
	}
	if len(st.Hosts) != 1 || st.Hosts[0].Requests != 7 || st.Hosts[0].Failed != 1 || !st.Hosts[0].Up || st.Hosts[0].DataCenter == "" {
		t.Errorf("host stats %+v", st.Hosts)
	}
	if !rec.seen(`failed ` + testHosts(t)[0] + ` "SELECT * FROM nosuch" 1`) {
		t.Errorf("no ConnectionFailed for the bad statement: %v", rec.events)
	}
	if err := db.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if !rec.seen("closed stats-test") {
		t.Error("no SessionClosed")
	}
	if err := db.Exec(ctx, "SELECT * FROM users"); !errors.Is(err, cql.ErrClosed) {
		t.Errorf("Exec after Close: %v", err)
	}
	if err := db.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestOpenFailures(t *testing.T) {
	hosts := testHosts(t)
	ctx := testCtx(t)

	// Nothing listens on port 1.
	_, err := cql.Open(ctx, cql.Config{Hosts: []string{"127.0.0.1:1"}, ConnectTimeout: time.Second})
	var nh *cql.NoHostError
	if !errors.Is(err, cassa.ErrNoHostAvailable) || !errors.As(err, &nh) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("unreachable host: %T %v", err, err)
	}

	// A missing keyspace.
	_, err = cql.Open(ctx, cql.Config{Hosts: hosts, Keyspace: "no_such_keyspace_here"})
	if !errors.As(err, new(*cassa.InvalidRequestError)) {
		t.Errorf("missing keyspace: %T %v", err, err)
	}

	// The context bounds Open.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := cql.Open(cctx, cql.Config{Hosts: hosts}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	// 10.255.255.1 is unroutable: the dial hangs until the deadline.
	dctx, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel2()
	start := time.Now()
	_, err = cql.Open(dctx, cql.Config{Hosts: []string{"10.255.255.1"}})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("unroutable host with a 300ms deadline: %v after %v", err, time.Since(start))
	}

	if _, err := cql.Open(ctx, cql.Config{Hosts: []string{"bad host"}}); !errors.Is(err, cql.ErrConfig) {
		t.Errorf("bad config: %v", err)
	}
}

// TestKeyspacePerCall: a keyspace per statement on protocol v5, refused
// before sending on v4, where the compiler qualifies the table instead.
func TestKeyspacePerCall(t *testing.T) {
	db, ks := openTest(t, cql.Config{}, usersSchema)
	ctx := testCtx(t)
	admin := openAdmin(t, cql.Config{})
	tenant := newKeyspace(t, admin)
	if err := admin.Exec(ctx, strings.ReplaceAll(usersSchema, "{ks}", tenant)); err != nil {
		t.Fatal(err)
	}
	if db.ProtocolVersion() < 5 {
		t.Skipf("the server speaks protocol v%d", db.ProtocolVersion())
	}
	if err := db.Exec(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", 1, "tenant's", cql.Keyspace(tenant)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get(ctx, "SELECT name FROM users WHERE id = ?", 1); !errors.Is(err, cassa.ErrNotFound) {
		t.Errorf("the write went to the session's keyspace: %v", err)
	}
	row, err := db.Get(ctx, "SELECT name FROM users WHERE id = ?", 1, cql.Keyspace(tenant))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cql.Col[string](row, "name"); n != "tenant's" {
		t.Errorf("read %q", n)
	}
	b := db.Batch(cql.Keyspace(tenant))
	if err := b.Queue(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", 2, "batched"); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get(ctx, "SELECT name FROM users WHERE id = ?", 2, cql.Keyspace(tenant)); err != nil {
		t.Errorf("batch in the tenant's keyspace: %v", err)
	}

	// Protocol v4: refused; a qualified table works instead.
	v4, err := cql.Open(ctx, cql.Config{Hosts: testHosts(t), Keyspace: ks, ProtoVersion: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer v4.Close(ctx)
	if err := v4.Exec(ctx, "SELECT * FROM users", cql.Keyspace(tenant)); !errors.Is(err, cql.ErrInvalidOption) {
		t.Errorf("Keyspace on v4: %v", err)
	}
	tab, err := v4.Table(ctx, tenant, "users")
	if err != nil {
		t.Fatal(err)
	}
	st, err := cql.Compile(tab, query.Where("id").Eq(1))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st.CQL, " FROM "+tenant+".users ") {
		t.Errorf("not qualified: %s", st.CQL)
	}
	row, err = v4.Get(ctx, st.CQL, st.Args...)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cql.Col[string](row, "name"); n != "tenant's" {
		t.Errorf("qualified read %q", n)
	}
}

func TestExecCAS(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, usersSchema)
	ctx := testCtx(t)
	applied, cur, err := db.ExecCAS(ctx, "INSERT INTO users (id, name, age) VALUES (?, ?, ?) IF NOT EXISTS", 1, "ann", 30)
	if err != nil || !applied || cur != nil {
		t.Fatalf("first insert: %v %v %v", applied, cur, err)
	}
	applied, cur, err = db.ExecCAS(ctx, "INSERT INTO users (id, name, age) VALUES (?, ?, ?) IF NOT EXISTS", 1, "impostor", 99)
	if err != nil || applied || cur == nil {
		t.Fatalf("second insert: %v %v %v", applied, cur, err)
	}
	if n, _ := cql.Col[string](cur, "name"); n != "ann" {
		t.Errorf("current name %q", n)
	}
	if a, _ := cql.Col[int](cur, "age"); a != 30 {
		t.Errorf("current age %d", a)
	}
	applied, cur, err = db.ExecCAS(ctx, "UPDATE users SET age = ? WHERE id = ? IF age = ?", 31, 1, 29, cql.SerialConsistency(cassa.LocalSerial))
	if err != nil || applied || cur == nil {
		t.Fatalf("update with a false condition: %v %v %v", applied, cur, err)
	}
	if a, _ := cql.Col[int](cur, "age"); a != 30 || len(cur.Columns()) != 1 {
		t.Errorf("current %v", cur.Columns())
	}
	applied, _, err = db.ExecCAS(ctx, "UPDATE users SET age = ? WHERE id = ? IF age = ?", 31, 1, 30)
	if err != nil || !applied {
		t.Errorf("update with a true condition: %v %v", applied, err)
	}
	applied, cur, err = db.ExecCAS(ctx, "DELETE FROM users WHERE id = ? IF EXISTS", 404)
	if err != nil || applied || cur != nil {
		t.Errorf("delete of a missing row: %v %v %v", applied, cur, err)
	}
	// A plain write is refused before it is sent: the row stays absent.
	if _, _, err := db.ExecCAS(ctx, "INSERT INTO users (id) VALUES (?)", 5); !errors.Is(err, cql.ErrInvalidOption) || !strings.Contains(err.Error(), "needs a lightweight transaction") {
		t.Errorf("ExecCAS of a plain insert: %v", err)
	}
	if _, err := db.Get(ctx, "SELECT id FROM users WHERE id = ?", 5); !errors.Is(err, cassa.ErrNotFound) {
		t.Errorf("the plain insert ran: %v", err)
	}
}

func TestBatches(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, feedSchema, `CREATE TABLE {ks}.counts (user text PRIMARY KEY, posts counter)`)
	ctx := testCtx(t)
	count := func(user string) int {
		n := 0
		for range db.Query(ctx, "SELECT seq FROM feed WHERE user = ?", user) {
			n++
		}
		return n
	}

	// Auto-send at QueueSize.
	b := db.Batch(cql.QueueSize(3))
	for i := range 4 {
		if err := b.Queue(ctx, "INSERT INTO feed (user, seq, body) VALUES (?, ?, ?)", "ann", i, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if b.Len() != 1 || count("ann") != 3 {
		t.Errorf("after 4 queued with QueueSize 3: %d queued, %d rows", b.Len(), count("ann"))
	}
	if err := b.Send(ctx); err != nil || b.Len() != 0 || count("ann") != 4 {
		t.Errorf("Send: %v, %d queued, %d rows", err, b.Len(), count("ann"))
	}

	// A logged batch of 300 statements of 1 KiB over 30 partitions is
	// split by size, never refused as too large.
	before := db.Stats().Batches
	b = db.Batch(cql.QueueSize(cql.NoAutoSend))
	big := strings.Repeat("b", 1024)
	for i := range 300 {
		if err := b.Queue(ctx, "INSERT INTO feed (user, seq, body) VALUES (?, ?, ?)", fmt.Sprintf("user%d", i%30), i, big); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(ctx); err != nil {
		t.Fatal(err)
	}
	if n := db.Stats().Batches - before; n != 30 {
		t.Errorf("%d batches for 30 partitions of 10 KiB each", n)
	}
	if count("user7") != 10 {
		t.Errorf("user7 has %d rows", count("user7"))
	}

	// Counters.
	cb := db.Batch(cql.Counter())
	for range 3 {
		for _, u := range []string{"ann", "bob"} {
			if err := cb.Queue(ctx, "UPDATE counts SET posts = posts + ? WHERE user = ?", int64(1), u); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := cb.Send(ctx); err != nil {
		t.Fatal(err)
	}
	row, err := db.Get(ctx, "SELECT posts FROM counts WHERE user = ?", "bob")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cql.Col[int64](row, "posts"); n != 3 {
		t.Errorf("bob's count %d", n)
	}

	// Unlogged.
	ub := db.Batch(cql.Unlogged(), cql.Consistency(cassa.One))
	for i := range 5 {
		_ = ub.Queue(ctx, "DELETE FROM feed WHERE user = ? AND seq = ?", "ann", i)
	}
	if err := ub.Send(ctx); err != nil || count("ann") != 0 {
		t.Errorf("unlogged deletes: %v, %d rows left", err, count("ann"))
	}

	// What a batch refuses before sending.
	for name, stmt := range map[string]string{
		"select":      "SELECT * FROM feed WHERE user = ?",
		"conditional": "INSERT INTO feed (user, seq) VALUES (?, 1) IF NOT EXISTS",
		"DDL":         "TRUNCATE feed",
	} {
		if err := b.Queue(ctx, stmt, "x"); !errors.Is(err, cql.ErrInvalidOption) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := b.Queue(ctx, "INSERT INTO feed (user, seq) VALUES (?, ?)", "x", 1, cql.Consistency(cassa.One)); !errors.Is(err, cql.ErrInvalidOption) {
		t.Errorf("option among a queued statement's values: %v", err)
	}
	if err := b.Queue(ctx, "INSERT INTO nosuch (user, seq) VALUES (?, ?)", "x", 1); !errors.As(err, new(*cassa.InvalidRequestError)) {
		t.Errorf("unknown table: %v", err)
	}

	// A failed send keeps what was not sent.
	fb := db.Batch(cql.Unlogged(), cql.QueueSize(cql.NoAutoSend))
	_ = fb.Queue(ctx, "INSERT INTO feed (user, seq, body) VALUES (?, ?, ?)", "carl", 1, "ok")
	_ = fb.Queue(ctx, "INSERT INTO feed (user, seq, body) VALUES (?, ?, ?)", "dave", 1, "ok")
	_ = fb.Queue(ctx, "INSERT INTO feed (user, seq, body) VALUES (?, ?, ?)", "", 1, "empty key") // refused when executed
	_ = fb.Queue(ctx, "INSERT INTO feed (user, seq, body) VALUES (?, ?, ?)", "fred", 1, "ok")
	err = fb.Send(ctx)
	var be *cql.BatchError
	if !errors.As(err, &be) || len(be.Failed) != 1 || len(be.Unsent) != 2 || !errors.As(err, new(*cassa.InvalidRequestError)) {
		t.Fatalf("send with a bad statement: %v", err)
	}
	if fb.Len() != 2 || count("carl") != 1 || count("dave") != 1 || count("fred") != 0 {
		t.Errorf("after the failure: %d queued; rows %d %d %d", fb.Len(), count("carl"), count("dave"), count("fred"))
	}
	if dropped := fb.Reset(); len(dropped) != 2 || dropped[0].Args[0] != "" || dropped[1].Args[0] != "fred" {
		t.Errorf("Reset returned %v", dropped)
	}
	if err := fb.Send(ctx); err != nil {
		t.Errorf("empty Send: %v", err)
	}
}

func TestCompression(t *testing.T) {
	for _, c := range []string{cql.CompressionLZ4, cql.CompressionSnappy} {
		t.Run(c, func(t *testing.T) {
			db, _ := openTest(t, cql.Config{Compression: c}, usersSchema)
			ctx := testCtx(t)
			long := strings.Repeat("compressible ", 1000)
			if err := db.Exec(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", 1, long); err != nil {
				t.Fatal(err)
			}
			row, err := db.Get(ctx, "SELECT name FROM users WHERE id = ?", 1)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := cql.Col[string](row, "name"); n != long {
				t.Errorf("read back %d bytes", len(n))
			}
		})
	}
}

// TestTooManyValues: gocql 2.1.2 panics when a statement with a tuple
// column gets more values than markers; the session returns an error.
func TestTooManyValues(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, usersSchema)
	ctx := testCtx(t)
	const stmt = "INSERT INTO users (id, pair) VALUES (?, ?)"
	if err := db.Exec(ctx, stmt, 1, []any{5, "x"}, "extra"); !errors.As(err, new(*cql.ClientError)) {
		t.Errorf("Exec: %T %v", err, err)
	}
	if _, err := db.Get(ctx, "SELECT id FROM users WHERE id = ? AND pair = ? ALLOW FILTERING", 1, []any{5, "x"}, 7); !errors.As(err, new(*cql.ClientError)) {
		t.Errorf("Get: %T %v", err, err)
	}
	b := db.Batch()
	if err := b.Queue(ctx, stmt, 1, []any{5, "x"}, "extra"); err == nil {
		err = b.Send(ctx)
		if !errors.As(err, new(*cql.ClientError)) {
			t.Errorf("batch: %T %v", err, err)
		}
	}
}

// PagingState reads one page from Cassandra's own paging state, unsealed,
// on any session; a state that does not fit is Cassandra's error.
func TestPagingState(t *testing.T) {
	db, ks := openTest(t, cql.Config{}, feedSchema)
	ctx := testCtx(t)
	fillFeed(t, db, "ann", 25)
	const q = "SELECT seq, body FROM feed WHERE user = ?"
	other, err := cql.Open(ctx, cql.Config{Hosts: testHosts(t), Keyspace: ks}) // another key for PageToken
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	sessions := []*cql.Session{db, other}
	var state []byte
	seen, pages := 0, 0
	for {
		rows := sessions[pages%2].Rows(ctx, q, "ann", cql.PageSize(10), cql.PagingState(state))
		for rows.Next() {
			seen++
		}
		if err := rows.Close(); err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if rows.PageToken() != "" {
			t.Fatal("a PagingState read handed out a sealed token")
		}
		pages++
		if state = rows.PagingState(); state == nil {
			break
		}
		if pages > 5 {
			t.Fatal("too many pages")
		}
	}
	if seen != 25 || pages != 3 {
		t.Fatalf("%d rows in %d pages", seen, pages)
	}
	rows := db.Rows(ctx, q, "ann", cql.PagingState([]byte("not a paging state")))
	for rows.Next() {
	}
	if err := rows.Close(); err == nil {
		t.Fatal("a damaged paging state was accepted")
	}
	all := db.Rows(ctx, q, "ann", cql.PageSize(10))
	for all.Next() {
	}
	if err := all.Close(); err != nil || all.PagingState() != nil {
		t.Fatalf("automatic paging: %v, state %v", err, all.PagingState())
	}
}

// Scan reads the first row straight into its destinations, tuples
// element by element, as gocql's Query.Scan.
func TestSessionScan(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, usersSchema)
	ctx := testCtx(t)
	if err := db.Exec(ctx, "INSERT INTO users (id, name, age, pair) VALUES (?, ?, ?, (?, ?))", 1, "ann", 30, 7, "x"); err != nil {
		t.Fatal(err)
	}
	var (
		name string
		age  int
		p0   int
		p1   string
	)
	err := db.Scan(ctx, "SELECT name, age, pair FROM users WHERE id = ?", []any{1, cql.Consistency(cassa.One)}, &name, nil, &p0, &p1)
	if err != nil || name != "ann" || age != 0 || p0 != 7 || p1 != "x" {
		t.Errorf("Scan: %q %d %d %q %v", name, age, p0, p1, err)
	}
	if err := db.Scan(ctx, "SELECT name FROM users WHERE id = ?", []any{404}, &name); !errors.Is(err, cassa.ErrNotFound) {
		t.Errorf("Scan of no row: %v, want ErrNotFound", err)
	}
	if err := db.Scan(ctx, "SELECT name, age FROM users WHERE id = ?", []any{1}, &name); err == nil {
		t.Error("Scan into too few destinations: no error")
	}
	if err := db.Scan(ctx, "SELECT name FROM users WHERE id = ?", []any{1, cql.PagingState(nil)}, &name); !errors.Is(err, cql.ErrInvalidOption) {
		t.Errorf("Scan with PagingState: %v, want ErrInvalidOption", err)
	}
	if err := db.Scan(ctx, "SELECT nope FROM users WHERE id = ?", []any{1}, &name); !errors.As(err, new(*cassa.InvalidRequestError)) {
		t.Errorf("Scan of an unknown column: %v, want *cassa.InvalidRequestError", err)
	}
}
