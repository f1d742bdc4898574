package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/google/uuid"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/cqlexec"
	"github.com/cassa-go/cassa/server/internal/faults"
	"github.com/cassa-go/cassa/server/internal/native"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// DefaultCQLAddr is where a zero Config serves CQL (the native protocol):
// loopback, on a port the kernel picks, like DefaultAddr, so that tests
// and programs can start many servers. `cassa server` listens on
// 127.0.0.1:9042 instead, Cassandra's native_transport_port.
const DefaultCQLAddr = "127.0.0.1:0"

// cqlNode is the node as the CQL executor sees it.
type cqlNode struct {
	n    *node
	info cqlexec.NodeInfo
}

var _ cqlexec.Node = (*cqlNode)(nil)

func (c *cqlNode) Catalog() *schema.Catalog             { return c.n.schema.Current() }
func (c *cqlNode) Store() *store.Store                  { return c.n.store }
func (c *cqlNode) Partitioner() partitioner.Partitioner { return c.n.part }
func (c *cqlNode) Now() time.Time                       { return c.n.cfg.Clock() }
func (c *cqlNode) Info() cqlexec.NodeInfo               { return c.info }

// ReadLock holds the node's ddl lock shared, as every Thrift request does.
func (c *cqlNode) ReadLock() func() {
	c.n.ddl.RLock()
	return c.n.ddl.RUnlock
}

func (c *cqlNode) Write(muts []store.RowMutation) error { return c.n.w.Apply(muts) }
func (c *cqlNode) Truncate(t *schema.Table) error       { return c.n.w.Truncate(t) }

// CAS runs a CQL lightweight transaction through the write path.
func (c *cqlNode) CAS(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error {
	return c.n.w.ReadModifyWrite(t, key, fn)
}

// ChangeSchema fixes what a replay must not choose again (a new table's
// ID, a drop time by the node's clock) and runs the statement through the
// write path.
func (c *cqlNode) ChangeSchema(op *schema.Op) (*schema.Change, error) {
	op.Fill(c.n.cfg.Clock().UnixMicro(), nil)
	return c.n.changeSchemaCQL(op)
}

// cqlService is the native-protocol side of a Server.
type cqlService struct {
	ln   net.Listener
	srv  *native.Server
	exec *cqlexec.Executor
}

// startCQL listens on cfg.CQLAddr and builds the executor and the
// connection layer; the accept loop starts with serveCQL.
func startCQL(ctx context.Context, cfg Config, n *node, inj *faults.Injector) (*cqlService, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.CQLAddr)
	if err != nil {
		return nil, fmt.Errorf("server: listen for CQL on %s: %w", cfg.CQLAddr, err)
	}
	addr := net.IPv4(127, 0, 0, 1)
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsUnspecified() {
		addr = ta.IP
	}
	tokens := make([]string, len(n.tokens))
	for i, t := range n.tokens {
		tokens[i] = t.String()
	}
	node := &cqlNode{n: n, info: cqlexec.NodeInfo{ClusterName: cfg.ClusterName, Tokens: tokens,
		HostID: uuid.New(), Address: addr, Started: cfg.Clock()}}
	svc := &cqlService{}
	exec, err := cqlexec.New(cqlexec.Config{Node: node, Logger: cfg.Logger, Faults: inj,
		Publish: func(ev message.Event) { svc.srv.Publish(ev) }})
	if err != nil {
		ln.Close()
		return nil, err
	}
	ncfg := native.Config{Backend: exec, Logger: cfg.Logger, MaxFrameSize: cfg.CQLMaxFrameSize, IdleTimeout: cfg.IdleTimeout}
	if cfg.Authenticator.RequireAuthentication() {
		ncfg.Authenticator = native.CredentialsFunc(cfg.Authenticator.Authenticate)
	}
	srv, err := native.NewServer(ncfg)
	if err != nil {
		ln.Close()
		return nil, err
	}
	if cfg.TLS != nil {
		ln = tls.NewListener(ln, cfg.TLS)
	}
	svc.ln, svc.srv, svc.exec = ln, srv, exec
	return svc, nil
}

// CQLAddr returns the address the native protocol (CQL) listens on, with
// the real port when Config.CQLAddr asked for port 0; "" when
// Config.DisableCQL turned it off.
func (s *Server) CQLAddr() string {
	if s.cql == nil {
		return ""
	}
	return s.cql.ln.Addr().String()
}

// cqlAcceptLoop accepts native-protocol connections until the listener
// closes; each is served on its own goroutine. MaxConnections applies to
// these connections alone, as it does to the Thrift ones.
func (s *Server) cqlAcceptLoop() {
	defer s.wg.Done()
	for {
		nc, ok := s.accept(s.cql.ln, "CQL accept failed")
		if !ok {
			return
		}
		if max := s.cfg.MaxConnections; max > 0 && s.cqlOpen.Load() >= int64(max) {
			s.log.Warn("CQL connection refused: too many connections", "remote", nc.RemoteAddr().String(), "max", max)
			nc.Close()
			continue
		}
		s.mu.Lock()
		closed := s.closed
		if !closed {
			s.wg.Add(1)
		}
		s.mu.Unlock()
		if closed {
			nc.Close()
			return
		}
		s.cqlOpen.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.cqlOpen.Add(-1)
			if err := s.cql.srv.Serve(context.Background(), nc); err != nil && !errors.Is(err, native.ErrServerClosed) {
				s.log.Debug("CQL connection ended", "remote", nc.RemoteAddr().String(), "reason", err)
			}
		}()
	}
}
