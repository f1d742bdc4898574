package pool

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/internal/syncbuf"
	"github.com/cassa-go/cassa/thriftgen"
)

// TestListenerFields drives every event and checks the fields pycassa's
// listeners carried.
func TestListenerFields(t *testing.T) {
	checkNoLeaks(t)
	a, b := newFake(t), newFake(t)
	b.setFault(func(method string) error {
		if method == "describe_version" {
			return &thriftgen.UnavailableException{} // undeclared: a server error
		}
		if method == "get" {
			return &thriftgen.TimedOutException{}
		}
		return nil
	})
	rec := &recorder{}
	cfg := testConfig(b.addr, a.addr)
	cfg.Name = "fields"
	cfg.PoolSize = 1
	cfg.Recycle = 1
	cfg.PoolTimeout = NoWait
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	ctx := context.Background()
	a.put("k", "c", "v")

	// A timeout on b, retried on a.
	for i := 0; i < 3; i++ {
		if _, err := getColumn(ctx, p, "k", "c"); err != nil {
			t.Fatal(err)
		}
	}
	// Pool at max.
	release := holdConn(ctx, p)
	if err := p.Do(ctx, versionOp); !errors.Is(err, ErrPoolTimeout) {
		t.Fatalf("err = %v, want ErrPoolTimeout", err)
	}
	release()
	// A server marked down (b stops), then up again.
	b.stop()
	b.setFault(nil)
	p.markDown(p.byAddr[b.addr], errors.New("test"))
	b.restart()
	waitFor(t, "b back up", func() bool { return serverStats(p.Stats(), b.addr).Up })
	p.Close(ctx)

	var fails []FailEvent
	for _, e := range eventsOf[FailEvent](rec) {
		if e.Server == b.addr && e.Op == "get" {
			fails = append(fails, e)
		}
	}
	if len(fails) == 0 || !errors.Is(fails[0].Err, cassa.ErrTimedOut) || fails[0].Conn == nil || fails[0].Level != slog.LevelInfo || fails[0].PoolID != "fields" {
		t.Errorf("connection_failed events %+v", fails)
	}
	rc := eventsOf[RecycleEvent](rec)
	if len(rc) == 0 || rc[0].Old.ID == rc[0].New.ID || rc[0].Old.Ops < 2 {
		t.Errorf("connection_recycled events %+v", rc)
	}
	if m := eventsOf[PoolAtMaxEvent](rec); len(m) != 1 || m[0].PoolMax != 1 || m[0].Level != slog.LevelInfo {
		t.Errorf("pool_at_max events %+v", m)
	}
	var downs, ups int
	for _, e := range eventsOf[ServerEvent](rec) {
		if e.Server != b.addr {
			continue
		}
		if e.Err != nil {
			downs++
		} else if e.Down > 0 {
			ups++
		}
	}
	if downs != 1 || ups != 1 {
		t.Errorf("server events for b: %d down, %d up", downs, ups)
	}
	for _, d := range eventsOf[DisposeEvent](rec) {
		if d.Reason == "" || d.Conn.Server == "" {
			t.Errorf("disposed event without reason or server: %+v", d)
		}
	}
	if pd := eventsOf[PoolEvent](rec); len(pd) != 1 {
		t.Errorf("pool_disposed events %+v", pd)
	}
	st := p.Stats()
	if st.CheckedOut != st.CheckedIn || st.Recycled != int64(len(rc)) || st.AtMax != 1 {
		t.Errorf("stats disagree with events: %+v", st)
	}
}

func TestLogger(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	var buf syncbuf.Buffer
	cfg := testConfig(f.addr)
	cfg.Name = "logged"
	cfg.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p := openPool(t, cfg)
	if err := p.Do(context.Background(), versionOp); err != nil {
		t.Fatal(err)
	}
	p.Close(context.Background())
	out := buf.String()
	for _, want := range []string{"server list obtained", "connection opened", "connection checked out",
		"connection checked in", "connection closed", "pool disposed", "pool=logged", f.addr} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
