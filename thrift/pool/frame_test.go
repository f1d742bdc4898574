package pool

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
)

// The client's default frame limit is Cassandra's
// thrift_framed_transport_size_in_mb (15), the embedded server's too.
func TestFrameLimitDefaultsAgree(t *testing.T) {
	for name, v := range map[string]int{"pool": DefaultMaxFrameSize, "server": server.DefaultMaxFrameSize} {
		if v != 15*1024*1024 {
			t.Errorf("%s.DefaultMaxFrameSize = %d, want 15 MiB", name, v)
		}
	}
}

// A request larger than the frame limit is refused before anything is
// sent, with its size and the limit, and is not retried; the connection
// stays usable.
func TestRequestTooLarge(t *testing.T) {
	checkNoLeaks(t)
	srv := cassatest.Start(t)
	createTestKeyspace(t, srv.Addr(), false)
	ctx := context.Background()
	p, err := Open(ctx, Config{Servers: []string{srv.Addr()}, Keyspace: testKeyspace, PoolSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	before := p.Stats()
	err = insertColumn(ctx, p, "k", "c", strings.Repeat("v", 20<<20))
	var tl *RequestTooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, ErrRequestTooLarge) {
		t.Fatalf("20 MiB insert: %v (%T), want a *RequestTooLargeError", err, err)
	}
	if tl.Limit != DefaultMaxFrameSize || tl.Size <= 20<<20 || tl.Op != "insert" || tl.Host != srv.Addr() {
		t.Errorf("error %+v", tl)
	}
	if msg := err.Error(); !strings.Contains(msg, "15728640") || !strings.Contains(msg, "insert") {
		t.Errorf("message %q does not say the limit and the operation", msg)
	}
	if Retryable(err) {
		t.Error("an oversized request is retryable")
	}
	after := p.Stats()
	if after.Retries != before.Retries || after.Created != before.Created || after.Failed != before.Failed {
		t.Errorf("stats before %+v after %+v: the request was retried or broke the connection", before, after)
	}
	if err := insertColumn(ctx, p, "k", "c", "v"); err != nil {
		t.Fatalf("next insert: %v", err)
	}
	if p.Stats().Created != before.Created {
		t.Error("the connection was replaced")
	}
}

// The client counts a frame as the server does (the whole Thrift message
// after the 4-byte length, as libthrift's TFramedTransport): every request
// near the limit is either refused locally or accepted, never cut off by
// the server.
func TestFrameLimitBoundary(t *testing.T) {
	const limit = 64 << 10
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{MaxFrameSize: limit}))
	createTestKeyspace(t, srv.Addr(), false)
	ctx := context.Background()
	p, err := Open(ctx, Config{Servers: []string{srv.Addr()}, Keyspace: testKeyspace, PoolSize: 1,
		MaxFrameSize: limit, MaxRetries: NoRetries})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	accepted, refused, smallest := 0, 0, 0
	for n := limit - 200; n < limit+10; n++ {
		err := insertColumn(ctx, p, "k", "c", strings.Repeat("v", n))
		var tl *RequestTooLargeError
		switch {
		case err == nil:
			accepted++
		case errors.As(err, &tl):
			refused++
			if smallest == 0 {
				smallest = tl.Size
			}
			if tl.Size <= limit {
				t.Fatalf("value of %d bytes: refused a frame of %d bytes under the limit", n, tl.Size)
			}
		default:
			t.Fatalf("value of %d bytes: %v", n, err)
		}
	}
	if accepted == 0 || refused == 0 {
		t.Errorf("%d accepted, %d refused: the sizes did not cross the limit", accepted, refused)
	}
	if smallest != limit+1 {
		t.Errorf("the smallest frame refused is %d bytes, want %d: one byte more than what the server accepted", smallest, limit+1)
	}
}
