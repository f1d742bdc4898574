package columnfamily_test

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// dropProxy forwards TCP connections to a server. When armed, it lets the
// next request through and then cuts the connection instead of relaying
// the reply: the write is applied but the client sees a transport error,
// the case where a retry can apply it twice.
type dropProxy struct {
	ln     net.Listener
	target string
	armed  atomic.Bool
	wg     sync.WaitGroup
}

func newDropProxy(t *testing.T, target string) *dropProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &dropProxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

func (p *dropProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.wg.Add(2)
		go func() { defer p.wg.Done(); io.Copy(s, c); s.Close() }()
		go func() {
			defer p.wg.Done()
			defer c.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := s.Read(buf)
				if n > 0 && p.armed.CompareAndSwap(true, false) {
					s.Close()
					return
				}
				if n > 0 {
					if _, werr := c.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

// TestCFRetries checks that a retried write keeps its timestamp, and that
// counter writes are not retried once they may have been applied, unless
// the column family allows it.
func TestCFRetries(t *testing.T) {
	e := newEnv(t)
	proxy := newDropProxy(t, e.srv.Addr())
	p, err := pool.Open(bg, pool.Config{Keyspace: testKeyspace, Servers: []string{proxy.ln.Addr().String()}, PoolSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(bg)
	open := func(name string, opts ...columnfamily.Option) *columnfamily.ColumnFamily {
		cf, err := columnfamily.Open(bg, p, name, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return cf
	}
	std := open("Std")
	var calls atomic.Int64
	stamped := open("Std", columnfamily.TimestampSource(func() int64 { return 1000 + calls.Add(1) }))

	// The insert is applied, its reply lost, and it is sent again with
	// the same timestamp: the source was asked once.
	proxy.armed.Store(true)
	retries := p.Stats().Retries
	ts, err := stamped.Insert(bg, "r", columnfamily.Cols{"a": "x"})
	noErr(t, err)
	equal(t, "retried", p.Stats().Retries-retries, int64(1))
	equal(t, "source calls", calls.Load(), int64(1))
	col, _ := must(std.Get(bg, "r", query.Select{}))(t).Column("a")
	equal(t, "stored timestamp", col.Timestamp, ts)

	// A counter increment is not retried: the error comes back, and the
	// increment was applied once.
	cnt := open("Counter")
	proxy.armed.Store(true)
	err = cnt.Add(bg, "c", "hits", 1)
	var te *pool.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("counter add after a lost reply: want the transport error, got %v", err)
	}
	equal(t, "applied once", must(cnt.Get(bg, "c", query.Select{}))(t).Value("hits"), int64(1))
	proxy.armed.Store(true)
	if _, err := cnt.Insert(bg, "c", columnfamily.Cols{"hits": 1}); !errors.As(err, &te) {
		t.Fatalf("counter insert after a lost reply: %v", err)
	}
	equal(t, "insert applied once", must(cnt.Get(bg, "c", query.Select{}))(t).Value("hits"), int64(2))

	// Opting in retries it, and it counts twice.
	retrying := open("Counter", columnfamily.RetryCounterMutations())
	proxy.armed.Store(true)
	noErr(t, retrying.Add(bg, "c", "hits", 1))
	equal(t, "applied twice", must(cnt.Get(bg, "c", query.Select{}))(t).Value("hits"), int64(4))
}
