package cassatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// simpleStrategy is the replication strategy of the keyspaces NewKeyspace
// creates, with replication_factor 1.
const simpleStrategy = "org.apache.cassandra.locator.SimpleStrategy"

// maxKeyspaceName is Cassandra's limit on keyspace names (Schema.NAME_LENGTH).
const maxKeyspaceName = 48

// NewKeyspace creates a keyspace with a fresh name (SimpleStrategy,
// replication factor 1, no column families) and returns the name, which
// starts with "cassatest_" and carries the test's name for debugging. On a
// real cluster it waits for schema agreement and drops the keyspace at
// cleanup; the embedded server's keyspaces go away with it. It fails the
// test on error.
func (s *Server) NewKeyspace(tb testing.TB) string {
	tb.Helper()
	s.started(tb, "NewKeyspace")
	name := keyspaceName(tb.Name())
	ks := tg.NewKsDef() // not a literal: the constructor sets durable_writes
	ks.Name = name
	ks.StrategyClass = simpleStrategy
	ks.StrategyOptions = map[string]string{"replication_factor": "1"}
	ks.CfDefs = []*tg.CfDef{}
	err := s.call(func(ctx context.Context, c *client) error {
		if _, err := c.SystemAddKeyspace(ctx, ks); err != nil {
			return err
		}
		return s.waitAgreement(ctx, c)
	})
	if err != nil {
		tb.Fatalf("cassatest: create keyspace %s on %s: %v", name, s.Addr(), err)
	}
	if s.srv == nil {
		tb.Cleanup(func() {
			err := s.call(func(ctx context.Context, c *client) error {
				_, err := c.SystemDropKeyspace(ctx, name)
				return err
			})
			if err != nil {
				tb.Errorf("cassatest: drop keyspace %s: %v", name, err)
			}
		})
	}
	return name
}

// keyspaceName is "cassatest_" + the test name cut to fit, in the letters
// Cassandra allows (\w), + "_" + 8 random hex digits, so parallel tests and
// CI runs sharing a cluster never collide.
func keyspaceName(test string) string {
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	const prefix = "cassatest_"
	room := maxKeyspaceName - len(prefix) - 1 - 2*len(suffix)
	var b strings.Builder
	b.WriteString(prefix)
	n := 0
	for _, r := range test {
		if n == room {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		n++
	}
	b.WriteByte('_')
	b.WriteString(hex.EncodeToString(suffix[:]))
	return b.String()
}

// waitAgreement polls describe_schema_versions until every reachable node
// reports one version, as a schema change on a real cluster needs before
// the next one. The embedded server agrees at once.
func (s *Server) waitAgreement(ctx context.Context, c *client) error {
	for {
		versions, err := c.DescribeSchemaVersions(ctx)
		if err != nil {
			return err
		}
		live := 0
		for v := range versions {
			if v != "UNREACHABLE" {
				live++
			}
		}
		if live <= 1 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no schema agreement: %v: %w", versions, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// client is a generated Thrift client over its own framed connection, the
// transport every Cassandra client library uses.
type client struct {
	*tg.CassandraClient
}

// call runs f on a fresh connection to Addr, logged in when credentials
// were given, within startTimeout.
func (s *Server) call(f func(context.Context, *client) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cfg := &thrift.TConfiguration{ConnectTimeout: 10 * time.Second, SocketTimeout: startTimeout}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketConf(s.Addr(), cfg), cfg)
	if err := trans.Open(); err != nil {
		return err
	}
	defer trans.Close()
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	c := &client{CassandraClient: tg.NewCassandraClient(thrift.NewTStandardClient(proto, proto))}
	if s.user != "" || s.password != "" {
		req := tg.NewAuthenticationRequest()
		req.Credentials = map[string]string{"username": s.user, "password": s.password}
		if err := c.Login(ctx, req); err != nil {
			return fmt.Errorf("login as %s: %w", s.user, err)
		}
	}
	err := f(ctx, c)
	var ire *tg.InvalidRequestException
	if errors.As(err, &ire) {
		// The generated String() is noisy; the reason is what helps.
		return fmt.Errorf("InvalidRequestException: %s", ire.Why)
	}
	return err
}
