package session

import (
	"bufio"
	"context"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thriftgen"
)

// BenchmarkGet compares 64 goroutines doing single-column gets (thrift
// get) through an 8-connection Pool with the same goroutines sharing 8 raw
// thriftgen clients (a buffered channel as the simplest possible pool), on
// one embedded server, in one run. It logs the pool's throughput as a
// fraction of the raw clients' (target >= 0.9).
//
// "raw" clients are built the stock way (TSocket, TFramedTransport), which
// writes each frame as two packets; "rawbuf" clients use the pool's
// buffered socket transport, so pool/rawbuf isolates the pool's own cost.
//
//	go test -run '^$' -bench BenchmarkGet -benchtime 3s ./session/
func BenchmarkGet(b *testing.B) {
	srv := startServer(b, server.Config{})
	const conns, goroutines = 8, 64
	path := &thriftgen.ColumnPath{ColumnFamily: "cf", Column: []byte("c")}
	key := []byte("k1")
	var nsPool, nsRaw, nsRawBuf float64

	raw := func(buffered bool, ns *float64) func(*testing.B) {
		return func(b *testing.B) {
			clients := make(chan *thriftgen.CassandraClient, conns)
			for i := 0; i < conns; i++ {
				c, closeFn := rawClient(b, srv.Addr(), buffered)
				defer closeFn()
				clients <- c
			}
			parallel(b, goroutines)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					c := <-clients
					_, err := c.Get(ctx, key, path, thriftgen.ConsistencyLevel_ONE)
					clients <- c
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			*ns = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		}
	}
	b.Run("raw", raw(false, &nsRaw))
	b.Run("rawbuf", raw(true, &nsRawBuf))

	b.Run("pool", func(b *testing.B) {
		p, err := Open(context.Background(), Config{
			Keyspace: itKeyspace, Servers: []string{srv.Addr()}, PoolSize: conns, Prefill: true,
			Timeout: 10 * time.Second,
		})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close(context.Background())
		fn := func(ctx context.Context, c *Conn) error {
			_, err := c.Client().Get(ctx, key, path, thriftgen.ConsistencyLevel_ONE)
			return err
		}
		parallel(b, goroutines)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				if err := p.Do(ctx, fn); err != nil {
					b.Error(err)
					return
				}
			}
		})
		nsPool = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})

	if nsPool > 0 && nsRaw > 0 && nsRawBuf > 0 {
		b.Logf("throughput pool/raw %.3f, pool/rawbuf %.3f (ns/op: raw %.0f, rawbuf %.0f, pool %.0f)",
			nsRaw/nsPool, nsRawBuf/nsPool, nsRaw, nsRawBuf, nsPool)
	}
}

// parallel makes RunParallel, which starts parallelism × GOMAXPROCS
// goroutines, use n of them.
func parallel(b *testing.B, n int) {
	procs := max(1, runtime.GOMAXPROCS(0))
	b.SetParallelism((n + procs - 1) / procs)
}

// rawClient opens a plain framed thriftgen client with the keyspace set,
// over a stock TSocket or over the pool's buffered socket transport.
func rawClient(b *testing.B, addr string, buffered bool) (*thriftgen.CassandraClient, func()) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	conf := &thrift.TConfiguration{}
	var sock thrift.TTransport = thrift.NewTSocketFromConnConf(nc, conf)
	if buffered {
		sock = &sockTransport{c: nc, w: bufio.NewWriterSize(nc, 4096)}
	}
	trans := thrift.NewTFramedTransportConf(sock, conf)
	prot := thrift.NewTBinaryProtocolConf(trans, conf)
	c := thriftgen.NewCassandraClient(thrift.NewTStandardClient(prot, prot))
	if err := c.SetKeyspace(context.Background(), itKeyspace); err != nil {
		b.Fatal(err)
	}
	return c, func() { nc.Close() }
}
