package migrate

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/syncbuf"
	"github.com/cassa-go/cassa/orm"
)

// The rows of a partition are copied in unlogged batches, each INSERT
// with its own USING TIMESTAMP and TTL: BatchStatement takes a
// statement's own timestamp over the batch's (the default timestamp the
// driver sends), and a statement's TTL as its own. A wide partition is
// split into batches under batch_size_warn_threshold_in_kb, so the server
// warns of nothing.
func TestMoveBatchedTimestampsAndTTL(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveEvent]())
	e.cqlModel(t, orm.Model[moveEvent](), "events")
	events := orm.Map[moveEvent, moveEvent](e.p, "Events")
	const n = 300
	// Timestamps of a microsecond clock, a little in the past.
	base := time.Now().Add(-time.Minute).UnixMicro()
	body := strings.Repeat("x", 100)
	for i := 0; i < n; i++ {
		opts := []orm.CallOption{orm.Timestamp(base + int64(i))}
		if i%2 == 0 {
			opts = append(opts, orm.TTL(time.Hour))
		}
		must(t, events.Insert(e.ctx, &moveEvent{Source: "wide", Seq: int32(i), Body: body}, opts...))
	}
	must(t, events.Insert(e.ctx, &moveEvent{Source: "narrow", Seq: 1, Body: "alone"}, orm.Timestamp(base-1), orm.TTL(2*time.Hour)))

	var logs syncbuf.Buffer
	db, err := cql.Open(e.ctx, cql.Config{Hosts: []string{e.srv.CQLAddr()}, Keyspace: e.ks,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	must(t, err)
	defer db.Close(e.ctx)
	res, err := MoveThriftToCQL(e.ctx, e.p, db, MoveSpec{ColumnFamily: "Events", Table: "events"}, MoveRanges(4))
	must(t, err)
	if res.Rows != n+1 || res.Copied != n+1 || res.Skipped != 0 {
		t.Fatalf("result %+v", res)
	}
	// Each INSERT carries 16 bytes of overhead for each of its four
	// values besides the partition key, and 4+100+8+4 bytes: some 180
	// bytes, 28 to a 5 KiB batch.
	st := db.Stats()
	if min, max := int64(n*180/cql.DefaultWarnThreshold+1), int64(n/20); st.Batches < min || st.Batches > max {
		t.Errorf("%d batches for a partition of %d rows, want %d to %d", st.Batches, n, min, max)
	}
	if strings.Contains(logs.String(), "server warning") {
		t.Errorf("the server warned:\n%s", logs.String())
	}

	seen := 0
	for row, err := range e.db.Query(e.ctx, "SELECT seq, body, WRITETIME(body), TTL(body) FROM events WHERE source = 'wide'") {
		must(t, err)
		var (
			seq int32
			got string
			wt  int64
			ttl *int32
		)
		must(t, row.Scan(&seq, &got, &wt, &ttl))
		seen++
		if got != body || wt != base+int64(seq) {
			t.Fatalf("row %d: body %q writetime %d, want %d", seq, got, wt, base+int64(seq))
		}
		switch {
		case seq%2 == 1 && ttl != nil:
			t.Fatalf("row %d: TTL %d, want none", seq, *ttl)
		case seq%2 == 0 && (ttl == nil || *ttl <= 3400 || *ttl > 3600):
			t.Fatalf("row %d: TTL %v, want about an hour", seq, fmt.Sprint(ttl))
		}
	}
	if seen != n {
		t.Fatalf("%d rows in the wide partition, want %d", seen, n)
	}
	row, err := e.db.Get(e.ctx, "SELECT WRITETIME(body), TTL(body) FROM events WHERE source = 'narrow' AND seq = 1")
	must(t, err)
	var wt int64
	var ttl int32
	must(t, row.Scan(&wt, &ttl))
	if wt != base-1 || ttl <= 7000 || ttl > 7200 {
		t.Fatalf("narrow row: writetime %d TTL %d", wt, ttl)
	}
}
