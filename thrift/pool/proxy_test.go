package pool

import (
	"crypto/tls"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
)

// proxy is a test-only TCP proxy in front of a server. It can refuse new
// connections, cut or half-close the ones it carries, stall them, and
// terminate TLS (when it listens with a TLS config).
type proxy struct {
	target string

	mu     sync.Mutex
	ln     net.Listener
	pairs  map[net.Conn]net.Conn // client side -> server side
	refuse bool
	stall  chan struct{} // non-nil: hold bytes until closed
	wg     sync.WaitGroup
}

func newProxy(t testing.TB, target string, tlsCfg *tls.Config) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	p := &proxy{target: target, ln: ln, pairs: map[net.Conn]net.Conn{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		refuse := p.refuse
		p.mu.Unlock()
		if refuse {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.pairs[c] = s
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(c, s, true)
		go p.pipe(s, c, false)
	}
}

// pipe copies src to dst, honouring a stall, and closes both when done.
func (p *proxy) pipe(src, dst net.Conn, fromClient bool) {
	defer p.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			stall := p.stall
			p.mu.Unlock()
			if stall != nil {
				<-stall
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			if err == io.EOF {
				// Pass a half-close on when the socket allows it.
				if cw, ok := dst.(interface{ CloseWrite() error }); ok {
					cw.CloseWrite()
					return
				}
			}
			break
		}
	}
	src.Close()
	dst.Close()
	if fromClient {
		p.mu.Lock()
		delete(p.pairs, src)
		p.mu.Unlock()
	}
}

// cut closes every carried connection.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c, s := range p.pairs {
		c.Close()
		s.Close()
		delete(p.pairs, c)
	}
}

// halfClose shuts the write side towards each client, as a server whose
// process died leaves the socket: the client reads EOF, writes still go.
func (p *proxy) halfClose() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.pairs {
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
	}
}

func (p *proxy) setRefuse(v bool) {
	p.mu.Lock()
	p.refuse = v
	p.mu.Unlock()
}

func (p *proxy) setStall(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case on && p.stall == nil:
		p.stall = make(chan struct{})
	case !on && p.stall != nil:
		close(p.stall)
		p.stall = nil
	}
}

func (p *proxy) close() {
	p.ln.Close()
	p.setStall(false)
	p.cut()
	p.wg.Wait()
}

func runtimeGoroutines() int { return runtime.NumGoroutine() }

func goroutineDump() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}
