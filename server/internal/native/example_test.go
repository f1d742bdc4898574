package native_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"

	"github.com/datastax/go-cassandra-native-protocol/message"

	"github.com/cassa-go/cassa/server/internal/native"
)

// voidBackend answers every statement with a Void result.
type voidBackend struct{}

func (voidBackend) Query(context.Context, *native.Session, *message.Query) native.Response {
	return native.Reply(&message.VoidResult{})
}
func (voidBackend) Prepare(context.Context, *native.Session, *message.Prepare) native.Response {
	return native.Reply(&message.VoidResult{})
}
func (voidBackend) Execute(context.Context, *native.Session, *message.Execute) native.Response {
	return native.Reply(&message.VoidResult{})
}
func (voidBackend) Batch(context.Context, *native.Session, *message.Batch) native.Response {
	return native.Reply(&message.VoidResult{})
}

func Example() {
	srv, err := native.NewServer(native.Config{Backend: voidBackend{}})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	server, client := net.Pipe()
	go srv.Serve(context.Background(), server)

	readFrame := func() (version, opcode byte, stream int16) {
		var h [9]byte
		if _, err := io.ReadFull(client, h[:]); err != nil {
			panic(err)
		}
		if _, err := io.CopyN(io.Discard, client, int64(binary.BigEndian.Uint32(h[5:]))); err != nil {
			panic(err)
		}
		return h[0], h[4], int16(binary.BigEndian.Uint16(h[2:4]))
	}
	// OPTIONS in protocol v5, as gocql first tries: 3.11's beta error on
	// stream 0, in a v5 header.
	go client.Write([]byte{0x05, 0, 0, 1, 0x05, 0, 0, 0, 0})
	v, op, stream := readFrame()
	fmt.Printf("v5 OPTIONS: version %#x opcode %#x stream %d\n", v, op, stream)

	// The driver retries with v4 on a new connection.
	server, client = net.Pipe()
	defer client.Close()
	go srv.Serve(context.Background(), server)
	go client.Write([]byte{0x04, 0, 0, 1, 0x05, 0, 0, 0, 0})
	v, op, stream = readFrame()
	fmt.Printf("v4 OPTIONS: version %#x opcode %#x stream %d\n", v, op, stream)
	// Output:
	// v5 OPTIONS: version 0x85 opcode 0x0 stream 0
	// v4 OPTIONS: version 0x84 opcode 0x6 stream 1
}
