package pool

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/thriftgen"
)

func TestRingOwnership(t *testing.T) {
	part := partitioner.Murmur3Partitioner{}
	a, b, c := &host{addr: "a:9160"}, &host{addr: "b:9160"}, &host{addr: "c:9160"}
	byName := map[string]*host{"a": a, "b": b, "c": c}
	// Vnodes: several ranges per node, listed out of order, as
	// describe_ring returns them. Range (start, end] belongs to its
	// endpoints; RF 2.
	ranges := []*thriftgen.TokenRange{
		{StartToken: "100", EndToken: "-200", Endpoints: []string{"c", "a"}}, // the wrapping range
		{StartToken: "-200", EndToken: "-100", Endpoints: []string{"a", "b"}},
		{StartToken: "0", EndToken: "100", Endpoints: []string{"b", "c"}},
		{StartToken: "-100", EndToken: "0", Endpoints: []string{"c", "unknown"}},
	}
	r, err := buildRing(part, ranges, func(ep string) *host { return byName[ep] })
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		token int64
		want  []*host
	}{
		{-9223372036854775808, []*host{c, a}}, // the minimum token: in the wrapping range
		{-201, []*host{c, a}},
		{-200, []*host{c, a}}, // end is inclusive
		{-199, []*host{a, b}}, // start is exclusive
		{-100, []*host{a, b}},
		{-1, []*host{c}}, // unknown endpoints are left out
		{0, []*host{c}},
		{1, []*host{b, c}},
		{100, []*host{b, c}},
		{101, []*host{c, a}}, // past the last end: wraps
		{9223372036854775807, []*host{c, a}},
	}
	for _, tt := range tests {
		got := r.owners[r.index(partitioner.Murmur3Token(tt.token))]
		if fmt.Sprint(hostAddrs(got)) != fmt.Sprint(hostAddrs(tt.want)) {
			t.Errorf("token %d: owners %v, want %v", tt.token, hostAddrs(got), hostAddrs(tt.want))
		}
	}
	if _, err := buildRing(part, []*thriftgen.TokenRange{{EndToken: "x"}}, nil); err == nil {
		t.Error("a bad token parsed")
	}
	var empty *ring
	if empty.replicas([]byte("k")) != nil {
		t.Error("nil ring has replicas")
	}
}

func hostAddrs(hs []*host) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.addr)
	}
	return out
}

func TestEndpoints(t *testing.T) {
	tests := []struct {
		tr   thriftgen.TokenRange
		want []string
	}{
		{thriftgen.TokenRange{Endpoints: []string{"10.0.0.1"}}, []string{"10.0.0.1"}},
		{thriftgen.TokenRange{Endpoints: []string{"10.0.0.1"}, RPCEndpoints: []string{"192.168.0.1"}}, []string{"192.168.0.1"}},
		{thriftgen.TokenRange{Endpoints: []string{"10.0.0.1"}, RPCEndpoints: []string{"0.0.0.0"}}, []string{"10.0.0.1"}},
		{thriftgen.TokenRange{Endpoints: []string{"10.0.0.1", "10.0.0.2"}, RPCEndpoints: []string{"x"}}, []string{"10.0.0.1", "10.0.0.2"}},
	}
	for _, tt := range tests {
		if got := endpoints(&tt.tr); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("endpoints(%+v) = %v, want %v", tt.tr, got, tt.want)
		}
	}
}

// loopbackCluster starts fakes on 127.0.0.1, .2 and .3 with one port, as
// the nodes of a cluster listen, each answering describe_ring with the
// same three-node ring.
func loopbackCluster(t *testing.T) []*fakeServer {
	t.Helper()
	for try := 0; try < 20; try++ {
		first := newFake(t)
		_, port, _ := net.SplitHostPort(first.addr)
		fs := []*fakeServer{first}
		ok := true
		for _, ip := range []string{"127.0.0.2", "127.0.0.3"} {
			f := &fakeServer{t: t, conns: map[net.Conn]struct{}{}, data: map[string][]byte{}, part: first.part, stalled: make(chan struct{})}
			if err := f.start(net.JoinHostPort(ip, port)); err != nil {
				ok = false
				break
			}
			t.Cleanup(f.stop)
			fs = append(fs, f)
		}
		if !ok {
			for _, f := range fs {
				f.stop()
			}
			continue
		}
		// Three nodes, two vnodes each, RF 1.
		ring := []*thriftgen.TokenRange{
			{StartToken: "6000000000000000000", EndToken: "-6000000000000000000", Endpoints: []string{"127.0.0.1"}},
			{StartToken: "-6000000000000000000", EndToken: "-3000000000000000000", Endpoints: []string{"127.0.0.2"}},
			{StartToken: "-3000000000000000000", EndToken: "0", Endpoints: []string{"127.0.0.3"}},
			{StartToken: "0", EndToken: "2000000000000000000", Endpoints: []string{"127.0.0.1"}},
			{StartToken: "2000000000000000000", EndToken: "4000000000000000000", Endpoints: []string{"127.0.0.2"}},
			{StartToken: "4000000000000000000", EndToken: "6000000000000000000", Endpoints: []string{"127.0.0.3"}},
		}
		for _, f := range fs {
			f.ring = ring
		}
		return fs
	}
	t.Skip("could not bind 127.0.0.2/127.0.0.3 on a common port")
	return nil
}

// owner computes the node of a key from the ring above, independently of
// the pool's ring code.
func owner(key string) string {
	tok := int64(partitioner.Murmur3Partitioner{}.Hash([]byte(key)))
	ends := []struct {
		end int64
		ip  string
	}{
		{-6000000000000000000, "127.0.0.1"}, {-3000000000000000000, "127.0.0.2"}, {0, "127.0.0.3"},
		{2000000000000000000, "127.0.0.1"}, {4000000000000000000, "127.0.0.2"}, {6000000000000000000, "127.0.0.3"},
	}
	for _, e := range ends {
		if tok <= e.end {
			return e.ip
		}
	}
	return "127.0.0.1"
}

func TestTokenAwareRouting(t *testing.T) {
	checkNoLeaks(t)
	fs := loopbackCluster(t)
	byIP := map[string]*fakeServer{}
	for _, f := range fs {
		h, _, _ := net.SplitHostPort(f.addr)
		byIP[h] = f
		for i := 0; i < 60; i++ {
			f.put("key"+strconv.Itoa(i), "c", "v")
		}
	}
	cfg := testConfig(fs[0].addr, fs[1].addr, fs[2].addr)
	cfg.TokenAware = true
	cfg.PoolSize = 3
	p := openPool(t, cfg)
	want := map[string]int64{}
	for i := 0; i < 60; i++ {
		key := "key" + strconv.Itoa(i)
		want[owner(key)]++
		if _, err := getColumn(context.Background(), p, key, "c", RoutingKey([]byte(key))); err != nil {
			t.Fatal(err)
		}
	}
	for ip, f := range byIP {
		if got := f.opCount("get"); got != want[ip] {
			t.Errorf("%s served %d gets, its replicas own %d keys", ip, got, want[ip])
		}
	}
	// With the owner down, the key is served elsewhere.
	key := "key0"
	byIP[owner(key)].stop()
	if _, err := getColumn(context.Background(), p, key, "c", RoutingKey([]byte(key))); err != nil {
		t.Fatalf("with the replica down: %v", err)
	}
}

func TestDiscover(t *testing.T) {
	checkNoLeaks(t)
	fs := loopbackCluster(t)
	rec := &recorder{}
	cfg := testConfig(fs[0].addr) // one seed
	cfg.Discover = true
	cfg.Listeners = []Listener{rec}
	cfg.PoolSize = 3
	cfg.Prefill = false
	p := openPool(t, cfg)
	st := p.Stats()
	if len(st.Servers) != 3 {
		t.Fatalf("servers after discovery: %+v", st.Servers)
	}
	lists := eventsOf[ServerListEvent](rec)
	if len(lists) != 2 || len(lists[1].Servers) != 3 || st.ServerLists != 2 {
		t.Errorf("server_list_obtained events %+v", lists)
	}
	// The discovered nodes are used: three concurrent operations need three
	// connections, opened round robin.
	hold := make(chan struct{})
	done := make(chan error, 3)
	for i := 0; i < 3; i++ {
		go func() {
			done <- p.Do(context.Background(), func(ctx context.Context, c *Conn) error {
				<-hold
				return versionOp(ctx, c)
			})
		}()
	}
	waitFor(t, "three connections", func() bool { return p.Stats().InUse == 3 })
	close(hold)
	for i := 0; i < 3; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range fs {
		if f.accepted.Load() == 0 {
			t.Errorf("%s never connected to", f.addr)
		}
	}
}

// TestDiscoverByName: a seed named by host name is the node the ring lists
// by IP, not a second server.
func TestDiscoverByName(t *testing.T) {
	checkNoLeaks(t)
	fs := loopbackCluster(t)
	_, port, _ := net.SplitHostPort(fs[0].addr)
	cfg := testConfig("localhost:" + port)
	cfg.Discover = true
	cfg.TokenAware = true
	p, err := Open(context.Background(), cfg)
	if err != nil {
		t.Skipf("localhost does not reach 127.0.0.1 here: %v", err)
	}
	defer p.Close(context.Background())
	var addrs []string
	for _, s := range p.Stats().Servers {
		addrs = append(addrs, s.Addr)
	}
	if len(addrs) != 3 || addrs[0] != "localhost:"+port {
		t.Errorf("servers %v, want localhost and the two other nodes", addrs)
	}
	for i := 0; i < 20; i++ {
		key := "key" + strconv.Itoa(i)
		reps := p.ring.Load().replicas([]byte(key))
		if len(reps) != 1 {
			t.Fatalf("replicas of %s: %v", key, hostAddrs(reps))
		}
	}
}

// TestRingRefresh: with RingRefresh the pool rereads the ring and learns
// nodes that joined.
func TestRingRefresh(t *testing.T) {
	checkNoLeaks(t)
	fs := loopbackCluster(t)
	full := fs[0].ring
	for _, f := range fs {
		f.mu.Lock()
		f.ring = full[:1] // at first the ring shows only 127.0.0.1
		f.mu.Unlock()
	}
	cfg := testConfig(fs[0].addr)
	cfg.Discover = true
	cfg.TokenAware = true
	cfg.RingRefresh = 20 * time.Millisecond
	p := openPool(t, cfg)
	if n := len(p.Stats().Servers); n != 1 {
		t.Fatalf("%d servers before the others joined", n)
	}
	for _, f := range fs {
		f.mu.Lock()
		f.ring = full
		f.mu.Unlock()
	}
	waitFor(t, "the joined nodes", func() bool { return len(p.Stats().Servers) == 3 })
	waitFor(t, "the new ring", func() bool { return len(p.ring.Load().ends) == len(full) })
}
