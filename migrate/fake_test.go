package migrate

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/cassa-go/cassa/thrift/pool"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// fakeCluster answers the few calls a schema change makes, for what one
// embedded node cannot show: schema disagreement between nodes, and the
// SchemaDisagreementException of pre-1.2 servers. Methods it does not
// override fail (the embedded nil interface), which no test reaches.
type fakeCluster struct {
	tg.Cassandra
	mu           sync.Mutex
	disagreeAdds int                 // system_add_keyspace calls to answer SchemaDisagreementException
	versions     map[string][]string // describe_schema_versions answer
	adds         int
}

func (f *fakeCluster) SystemAddKeyspace(context.Context, *tg.KsDef) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.adds++
	if f.disagreeAdds > 0 {
		f.disagreeAdds--
		return "", tg.NewSchemaDisagreementException()
	}
	return "v2", nil
}

func (f *fakeCluster) DescribeSchemaVersions(context.Context) (map[string][]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.versions, nil
}

func startFake(t *testing.T, f *fakeCluster) string {
	t.Helper()
	sock, err := thrift.NewTServerSocket("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := thrift.NewTSimpleServer4(tg.NewCassandraProcessor(f), sock,
		thrift.NewTFramedTransportFactoryConf(thrift.NewTTransportFactory(), nil),
		thrift.NewTBinaryProtocolFactoryConf(nil))
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Stop() })
	return sock.Addr().String()
}

func fakeSys(t *testing.T, f *fakeCluster, opts ...Option) *SystemManager {
	t.Helper()
	sys, err := Connect(context.Background(), pool.Config{Servers: []string{startFake(t, f)}, PoolSize: 1}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close(context.Background()) })
	return sys
}

func TestChangeRetriesAfterSchemaDisagreement(t *testing.T) {
	f := &fakeCluster{disagreeAdds: 2, versions: map[string][]string{"v2": {"10.0.0.1", "10.0.0.2"}}}
	sys := fakeSys(t, f, AgreementPoll(time.Millisecond))
	must(t, sys.CreateKeyspace(testCtx(t), "K", Simple(1)))
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.adds != 3 {
		t.Fatalf("system_add_keyspace sent %d times, want 3", f.adds)
	}
}

func TestChangeWaitsForAgreement(t *testing.T) {
	f := &fakeCluster{versions: map[string][]string{
		"v1": {"10.0.0.2"}, "v2": {"10.0.0.1"}, unreachableKey: {"10.0.0.9"},
	}}
	sys := fakeSys(t, f, AgreementPoll(time.Millisecond), AgreementTimeout(50*time.Millisecond))
	err := sys.CreateKeyspace(testCtx(t), "K", Simple(1))
	var ae *AgreementError
	if !errors.As(err, &ae) || !errors.Is(err, ErrNoAgreement) {
		t.Fatalf("want an AgreementError, got %v", err)
	}
	for _, want := range []string{"v1 on [10.0.0.2]", "v2 on [10.0.0.1]", "unreachable: 10.0.0.9"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	// Once the nodes agree (the unreachable one aside), the change returns.
	f.mu.Lock()
	f.versions = map[string][]string{"v2": {"10.0.0.1", "10.0.0.2"}, unreachableKey: {"10.0.0.9"}}
	f.mu.Unlock()
	must(t, sys.CreateKeyspace(testCtx(t), "K2", Simple(1)))
}
