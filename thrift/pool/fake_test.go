package pool

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/cassa-go/cassa/thriftgen"
)

// fakeServer is a scriptable Thrift server for pool tests: a handful of
// Cassandra methods over real framed sockets, with faults injected per
// call. It stands in for the embedded server where a test needs failures
// on demand.
type fakeServer struct {
	t testing.TB

	mu      sync.Mutex
	ln      net.Listener
	addr    string
	conns   map[net.Conn]struct{}
	fault   func(method string) error // nil: no fault
	creds   map[string]string         // required login credentials, nil: none
	ring    []*thriftgen.TokenRange
	part    string
	data    map[string][]byte
	stalled chan struct{} // closed to release stalled calls

	wg       sync.WaitGroup
	calls    atomic.Int64
	accepted atomic.Int64
	perOp    sync.Map // method -> *atomic.Int64
}

// errDrop, returned by a fault, makes the server close the connection
// without replying, as a crashing node does.
var errDrop = errors.New("fake: drop connection")

// errStall makes the call hang until the connection closes or release.
var errStall = errors.New("fake: stall")

func newFake(t testing.TB) *fakeServer {
	return newFakeAt(t, "127.0.0.1:0")
}

func newFakeAt(t testing.TB, addr string) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, conns: map[net.Conn]struct{}{}, data: map[string][]byte{},
		part: "org.apache.cassandra.dht.Murmur3Partitioner", stalled: make(chan struct{})}
	if err := f.start(addr); err != nil {
		t.Fatalf("fake server: %v", err)
	}
	t.Cleanup(f.stop)
	return f
}

func (f *fakeServer) start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.ln = ln
	f.addr = ln.Addr().String()
	f.mu.Unlock()
	f.wg.Add(1)
	go f.acceptLoop(ln)
	return nil
}

// restart listens again on the same address after stop.
func (f *fakeServer) restart() {
	f.t.Helper()
	var err error
	for i := 0; i < 50; i++ {
		if err = f.start(f.addr); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.t.Fatalf("restart %s: %v", f.addr, err)
}

// stop closes the listener and every connection: the server is gone.
func (f *fakeServer) stop() {
	f.mu.Lock()
	if f.ln != nil {
		f.ln.Close()
		f.ln = nil
	}
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// dropConns closes every open connection but keeps listening: what a client
// sees of a quick restart.
func (f *fakeServer) dropConns() {
	f.mu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
}

func (f *fakeServer) openConns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

func (f *fakeServer) setFault(fn func(method string) error) {
	f.mu.Lock()
	f.fault = fn
	f.mu.Unlock()
}

// failGet makes every get fail with err (errStall: hang).
func (f *fakeServer) failGet(err error) {
	f.setFault(func(method string) error {
		if method == "get" {
			return err
		}
		return nil
	})
}

func (f *fakeServer) release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.stalled:
	default:
		close(f.stalled)
	}
}

func (f *fakeServer) put(key, col, val string) {
	f.mu.Lock()
	f.data[dataKey([]byte(key), "cf", []byte(col))] = []byte(val)
	f.mu.Unlock()
}

func (f *fakeServer) opCount(method string) int64 {
	v, ok := f.perOp.Load(method)
	if !ok {
		return 0
	}
	return v.(*atomic.Int64).Load()
}

func (f *fakeServer) acceptLoop(ln net.Listener) {
	defer f.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		if f.ln != ln {
			f.mu.Unlock()
			nc.Close()
			return
		}
		f.conns[nc] = struct{}{}
		f.mu.Unlock()
		f.accepted.Add(1)
		f.wg.Add(1)
		go f.serve(nc)
	}
}

func (f *fakeServer) serve(nc net.Conn) {
	defer f.wg.Done()
	defer func() {
		f.mu.Lock()
		delete(f.conns, nc)
		f.mu.Unlock()
		nc.Close()
	}()
	conf := &thrift.TConfiguration{}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketFromConnConf(nc, conf), conf)
	prot := thrift.NewTBinaryProtocolConf(trans, conf)
	proc := thriftgen.NewCassandraProcessor(&fakeConn{f: f, nc: nc})
	ctx := context.Background()
	for {
		// Declared exceptions come back as err with ok true: the reply
		// went out and the connection carries on.
		ok, err := proc.Process(ctx, prot, prot)
		var te thrift.TTransportException
		if !ok || errors.As(err, &te) {
			return
		}
	}
}

// fakeConn is one server-side connection; it embeds the interface so only
// the methods the tests call need writing.
type fakeConn struct {
	thriftgen.Cassandra
	f        *fakeServer
	nc       net.Conn
	loggedIn bool
	keyspace string
}

func (c *fakeConn) enter(method string) error {
	c.f.calls.Add(1)
	v, _ := c.f.perOp.LoadOrStore(method, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	c.f.mu.Lock()
	fault, stalled := c.f.fault, c.f.stalled
	c.f.mu.Unlock()
	if fault == nil {
		return nil
	}
	switch err := fault(method); {
	case errors.Is(err, errDrop):
		c.nc.Close()
		return err
	case errors.Is(err, errStall):
		<-stalled
		return nil
	default:
		return err
	}
}

func (c *fakeConn) Login(ctx context.Context, req *thriftgen.AuthenticationRequest) error {
	if err := c.enter("login"); err != nil {
		return err
	}
	c.f.mu.Lock()
	want := c.f.creds
	c.f.mu.Unlock()
	for k, v := range want {
		if req.Credentials[k] != v {
			return &thriftgen.AuthenticationException{Why: "Username and/or password are incorrect"}
		}
	}
	c.loggedIn = true
	return nil
}

func (c *fakeConn) SetKeyspace(ctx context.Context, ks string) error {
	if err := c.enter("set_keyspace"); err != nil {
		return err
	}
	if err := c.authOK(); err != nil {
		return err
	}
	if ks == "Missing" {
		return &thriftgen.InvalidRequestException{Why: "Keyspace 'Missing' does not exist"}
	}
	c.keyspace = ks
	return nil
}

func (c *fakeConn) authOK() error {
	c.f.mu.Lock()
	need := c.f.creds != nil
	c.f.mu.Unlock()
	if need && !c.loggedIn {
		return &thriftgen.InvalidRequestException{Why: "You have not logged in"}
	}
	return nil
}

func (c *fakeConn) DescribeVersion(ctx context.Context) (string, error) {
	if err := c.enter("describe_version"); err != nil {
		return "", err
	}
	return "20.1.0", nil
}

func (c *fakeConn) DescribeClusterName(ctx context.Context) (string, error) {
	if err := c.enter("describe_cluster_name"); err != nil {
		return "", err
	}
	return "Fake Cluster", nil
}

func (c *fakeConn) DescribePartitioner(ctx context.Context) (string, error) {
	if err := c.enter("describe_partitioner"); err != nil {
		return "", err
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	return c.f.part, nil
}

func (c *fakeConn) DescribeRing(ctx context.Context, ks string) ([]*thriftgen.TokenRange, error) {
	if err := c.enter("describe_ring"); err != nil {
		return nil, err
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if c.f.ring != nil {
		return c.f.ring, nil
	}
	host, _, _ := net.SplitHostPort(c.f.addr)
	return []*thriftgen.TokenRange{{StartToken: "0", EndToken: "0", Endpoints: []string{host}}}, nil
}

func dataKey(key []byte, cf string, col []byte) string {
	return string(key) + "\x00" + cf + "\x00" + string(col)
}

func (c *fakeConn) Get(ctx context.Context, key []byte, path *thriftgen.ColumnPath, cl thriftgen.ConsistencyLevel) (*thriftgen.ColumnOrSuperColumn, error) {
	if err := c.enter("get"); err != nil {
		return nil, err
	}
	if err := c.authOK(); err != nil {
		return nil, err
	}
	c.f.mu.Lock()
	v, ok := c.f.data[dataKey(key, path.ColumnFamily, path.Column)]
	c.f.mu.Unlock()
	if !ok {
		return nil, &thriftgen.NotFoundException{}
	}
	ts := int64(1)
	return &thriftgen.ColumnOrSuperColumn{Column: &thriftgen.Column{Name: path.Column, Value: v, Timestamp: &ts}}, nil
}

func (c *fakeConn) Insert(ctx context.Context, key []byte, parent *thriftgen.ColumnParent, col *thriftgen.Column, cl thriftgen.ConsistencyLevel) error {
	if err := c.enter("insert"); err != nil {
		return err
	}
	if err := c.authOK(); err != nil {
		return err
	}
	c.f.mu.Lock()
	c.f.data[dataKey(key, parent.ColumnFamily, col.Name)] = col.Value
	c.f.mu.Unlock()
	return nil
}

func (c *fakeConn) Add(ctx context.Context, key []byte, parent *thriftgen.ColumnParent, col *thriftgen.CounterColumn, cl thriftgen.ConsistencyLevel) error {
	return c.enter("add")
}

// Helpers shared by the tests.

// getColumn runs a Thrift get of one column of "cf" through the pool.
func getColumn(ctx context.Context, p *Pool, key, col string, opts ...DoOption) ([]byte, error) {
	var v []byte
	err := p.Do(ctx, func(ctx context.Context, c *Conn) error {
		r, err := c.Client().Get(ctx, []byte(key), &thriftgen.ColumnPath{ColumnFamily: "cf", Column: []byte(col)}, thriftgen.ConsistencyLevel_ONE)
		if err != nil {
			return err
		}
		v = r.Column.Value
		return nil
	}, opts...)
	return v, err
}

// insertColumn runs a Thrift insert of one column of "cf" through the pool.
func insertColumn(ctx context.Context, p *Pool, key, col, val string, opts ...DoOption) error {
	return p.Do(ctx, func(ctx context.Context, c *Conn) error {
		ts := time.Now().UnixMicro()
		return c.Client().Insert(ctx, []byte(key), &thriftgen.ColumnParent{ColumnFamily: "cf"},
			&thriftgen.Column{Name: []byte(col), Value: []byte(val), Timestamp: &ts}, thriftgen.ConsistencyLevel_ONE)
	}, opts...)
}

// versionOp is the cheapest RPC.
func versionOp(ctx context.Context, c *Conn) error {
	_, err := c.Client().DescribeVersion(ctx)
	return err
}

// waitFor polls cond until it holds or the test's patience runs out.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkNoLeaks fails when goroutines started during the test outlive it.
func checkNoLeaks(t *testing.T) {
	t.Helper()
	before := runtimeGoroutines()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			n := runtimeGoroutines()
			if n <= before {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("goroutine leak: %d before, %d after\n%s", before, n, goroutineDump())
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
