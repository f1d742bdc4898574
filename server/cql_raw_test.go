package server_test

import (
	"bytes"
	"crypto/tls"
	"net"
	"sync"
	"testing"
	"time"

	nframe "github.com/datastax/go-cassandra-native-protocol/frame"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// nativeConn is a protocol v4 connection that sends messages and reads the
// answers frame by frame, for the tests that check results and events as
// the wire carries them (drivers hide both). It uses the frame codec of
// go-cassandra-native-protocol, the library the server uses too, and
// only for encoding: what each test checks is Cassandra's behaviour.
type nativeConn struct {
	t      testing.TB
	nc     net.Conn
	codec  nframe.Codec
	mu     sync.Mutex // guards next and waits
	wmu    sync.Mutex // one frame at a time on nc: EncodeFrame writes a frame in pieces
	next   int16
	waits  map[int16]chan *nframe.Frame
	events chan *nframe.Frame
	done   chan struct{}
}

// dialNative connects to addr and completes STARTUP (no authentication).
func dialNative(t testing.TB, addr string, tlsCfg *tls.Config) *nativeConn {
	t.Helper()
	c := openNative(t, addr, tlsCfg)
	if m := c.send(&message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}}); m.Body.Message.GetOpCode() != primitive.OpCodeReady {
		t.Fatalf("STARTUP: %v", m.Body.Message)
	}
	return c
}

// openNative connects to addr and sends nothing.
func openNative(t testing.TB, addr string, tlsCfg *tls.Config) *nativeConn {
	t.Helper()
	var nc net.Conn
	var err error
	if tlsCfg != nil {
		nc, err = tls.Dial("tcp", addr, tlsCfg)
	} else {
		nc, err = net.Dial("tcp", addr)
	}
	if err != nil {
		t.Fatal(err)
	}
	c := &nativeConn{t: t, nc: nc, codec: nframe.NewCodec(), next: 1, waits: map[int16]chan *nframe.Frame{},
		events: make(chan *nframe.Frame, 256), done: make(chan struct{})}
	go c.readLoop()
	t.Cleanup(func() { nc.Close(); <-c.done })
	return c
}

func (c *nativeConn) readLoop() {
	defer close(c.done)
	for {
		f, err := c.codec.DecodeFrame(c.nc)
		if err != nil {
			close(c.events)
			return
		}
		if f.Header.StreamId == -1 {
			c.events <- f
			continue
		}
		c.mu.Lock()
		w := c.waits[f.Header.StreamId]
		delete(c.waits, f.Header.StreamId)
		c.mu.Unlock()
		if w != nil {
			w <- f
		}
	}
}

// send sends m on a fresh stream and returns the answer.
func (c *nativeConn) send(m message.Message) *nframe.Frame {
	c.t.Helper()
	c.mu.Lock()
	stream := c.next
	c.next++
	w := make(chan *nframe.Frame, 1)
	c.waits[stream] = w
	c.mu.Unlock()
	var buf bytes.Buffer
	if err := c.codec.EncodeFrame(nframe.NewFrame(primitive.ProtocolVersion4, stream, m), &buf); err != nil {
		c.t.Fatal(err)
	}
	c.wmu.Lock()
	_, err := c.nc.Write(buf.Bytes())
	c.wmu.Unlock()
	if err != nil {
		c.t.Fatal(err)
	}
	select {
	case f := <-w:
		return f
	case <-time.After(10 * time.Second):
		c.t.Fatalf("no answer to %v", m)
	}
	return nil
}

// query runs a QUERY at consistency ONE and returns the answer.
func (c *nativeConn) query(q string, values ...[]byte) message.Message {
	c.t.Helper()
	o := &message.QueryOptions{Consistency: primitive.ConsistencyLevelOne}
	for _, v := range values {
		o.PositionalValues = append(o.PositionalValues, primitive.NewValue(v))
	}
	return c.send(&message.Query{Query: q, Options: o}).Body.Message
}

// register subscribes to SCHEMA_CHANGE events.
func (c *nativeConn) register() {
	c.t.Helper()
	m := c.send(&message.Register{EventTypes: []primitive.EventType{primitive.EventTypeSchemaChange}}).Body.Message
	if m.GetOpCode() != primitive.OpCodeReady {
		c.t.Fatalf("REGISTER: %v", m)
	}
}

// event waits for the next event.
func (c *nativeConn) event() *message.SchemaChangeEvent {
	c.t.Helper()
	select {
	case f, ok := <-c.events:
		if !ok {
			c.t.Fatal("connection closed while waiting for an event")
		}
		ev, ok := f.Body.Message.(*message.SchemaChangeEvent)
		if !ok {
			c.t.Fatalf("event %v", f.Body.Message)
		}
		return ev
	case <-time.After(10 * time.Second):
		c.t.Fatal("no event")
	}
	return nil
}
