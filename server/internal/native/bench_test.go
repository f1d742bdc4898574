package native

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/cassa-go/cassa/internal/gocqllog"
	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// BenchmarkRoundTrip measures trivial QUERY round trips over one loopback
// connection with 1 and with 64 requests in flight, with a client that
// writes frames by hand (so the figure is the server's).
func BenchmarkRoundTrip(b *testing.B) {
	for _, conc := range []int{1, 64} {
		b.Run(fmt.Sprintf("inflight=%d", conc), func(b *testing.B) {
			_, addr := startServer(b, Config{})
			nc, err := net.Dial("tcp", addr)
			if err != nil {
				b.Fatal(err)
			}
			defer nc.Close()
			c := &rawClient{t: b, nc: nc, br: bufio.NewReader(nc)}
			c.startup(4, nil)
			body := encodeBody(b, 4, query("SELECT 1"))
			frames := make([][]byte, conc+1)
			free := make(chan int16, conc)
			for s := 1; s <= conc; s++ {
				frames[s] = frameBytes(4, 0, int16(s), 0x07, body)
				free <- int16(s)
			}
			b.ResetTimer()
			done := make(chan error, 1)
			go func() {
				var hb [headerLen]byte
				for range b.N {
					if _, err := io.ReadFull(c.br, hb[:]); err != nil {
						done <- err
						return
					}
					h := parseHeader(hb[:])
					if _, err := c.br.Discard(int(h.length)); err != nil {
						done <- err
						return
					}
					free <- h.stream
				}
				done <- nil
			}()
			for range b.N {
				if _, err := nc.Write(frames[<-free]); err != nil {
					b.Fatal(err)
				}
			}
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "roundtrips/s")
		})
	}
}

// BenchmarkGocqlRoundTrip is the same through gocql (one pool connection),
// the figure a Go application sees.
func BenchmarkGocqlRoundTrip(b *testing.B) {
	for _, conc := range []int{1, 64} {
		b.Run(fmt.Sprintf("inflight=%d", conc), func(b *testing.B) {
			_, _, _, port := serveNode(b, Config{})
			cl := gocql.NewCluster("127.0.0.1")
			cl.Port = port
			cl.NumConns = 1
			cl.Metadata.CacheMode = gocql.Disabled
			cl.Logger = &gocqllog.Recorder{}
			cl.WriteCoalesceWaitTime = 0
			s, err := cl.CreateSession()
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ResetTimer()
			var wg sync.WaitGroup
			per := make(chan struct{}, b.N)
			for range b.N {
				per <- struct{}{}
			}
			close(per)
			for range conc {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range per {
						if err := s.Query("TRUNCATE ks.t").Exec(); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "roundtrips/s")
		})
	}
}

// BenchmarkDecodeRequest is the library's share of reading a request: the
// body walk and the decode of a gocql-style EXECUTE (three values, page
// size, default timestamp) and QUERY.
func BenchmarkDecodeRequest(b *testing.B) {
	ts := int64(1700000000000000)
	opts := &message.QueryOptions{
		Consistency: primitive.ConsistencyLevelLocalQuorum, PageSize: 5000, DefaultTimestamp: &ts, SkipMetadata: true,
		PositionalValues: []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 7}), primitive.NewValue([]byte("some text value")), primitive.NewValue(make([]byte, 16))},
	}
	for _, tt := range []struct {
		name string
		m    message.Message
	}{
		{"EXECUTE", &message.Execute{QueryId: make([]byte, 16), Options: opts}},
		{"QUERY", &message.Query{Query: "SELECT a, b, c FROM ks.t WHERE k = ? AND c1 = ? AND c2 = ?", Options: opts}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			body := encodeBody(b, 4, tt.m)
			op := byte(tt.m.GetOpCode())
			b.ReportAllocs()
			for b.Loop() {
				if _, _, werr := decodeBody(op, 4, body); werr != nil {
					b.Fatal(werr)
				}
			}
		})
	}
}

// BenchmarkEncodeResponse is the library's share of writing an answer: a
// Void, and a Rows result of one row of three columns, as frames.
func BenchmarkEncodeResponse(b *testing.B) {
	rows := &message.RowsResult{
		Metadata: &message.RowsMetadata{ColumnCount: 3, Columns: []*message.ColumnMetadata{
			{Keyspace: "ks", Table: "t", Name: "a", Type: datatype.Int},
			{Keyspace: "ks", Table: "t", Name: "b", Type: datatype.Varchar},
			{Keyspace: "ks", Table: "t", Name: "c", Type: datatype.Uuid},
		}},
		Data: message.RowSet{{{0, 0, 0, 7}, []byte("some text value"), make([]byte, 16)}},
	}
	for _, tt := range []struct {
		name string
		m    message.Message
	}{{"VOID", &message.VoidResult{}}, {"ROWS", rows}} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf, err := encodeFrame(4, &reply{stream: 1, msg: forVersion(tt.m, 4)}, nil)
				if err != nil {
					b.Fatal(err)
				}
				putBuf(buf)
			}
		})
	}
}
