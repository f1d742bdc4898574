package native

import (
	"bytes"
	"encoding/hex"
	"io"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// errorFrame builds the exact bytes of an ERROR frame with a v3+ header.
func errorFrame(versionByte, flags byte, stream int16, code uint32, msg string) []byte {
	body := []byte{byte(code >> 24), byte(code >> 16), byte(code >> 8), byte(code), byte(len(msg) >> 8), byte(len(msg))}
	body = append(body, msg...)
	return frameBytes(versionByte, flags, stream, 0, body)
}

// The bytes 3.11 answers to a first frame of an unsupported version
// (ProtocolVersion.decode, ErrorMessage.fromException, Frame.Encoder),
// and the connection closing afterwards.
func TestVersionNegotiationBytes(t *testing.T) {
	_, addr := startServer(t, Config{})
	options := func(version byte) []byte { return frameBytes(version, 0, 1, 0x05, nil) }
	tests := []struct {
		name string
		in   []byte
		want []byte
	}{
		{
			// gocql's first attempt: OPTIONS in v5 without USE_BETA.
			name: "v5 without USE_BETA",
			in:   options(5),
			want: errorFrame(0x85, 0x10, 0, 0x0A, "Beta version of the protocol used (5/v5-beta), but USE_BETA flag is unset"),
		},
		{
			// Python's and Node's first attempt (DSE_V2).
			name: "v66",
			in:   options(66),
			want: errorFrame(0x85, 0x10, 0, 0x0A, "Invalid or unsupported protocol version (66); supported versions are (3/v3, 4/v4, 5/v5-beta)"),
		},
		{
			name: "v65",
			in:   options(65),
			want: errorFrame(0x85, 0x10, 0, 0x0A, "Invalid or unsupported protocol version (65); supported versions are (3/v3, 4/v4, 5/v5-beta)"),
		},
		{
			name: "v6",
			in:   options(6),
			want: errorFrame(0x85, 0x10, 0, 0x0A, "Invalid or unsupported protocol version (6); supported versions are (3/v3, 4/v4, 5/v5-beta)"),
		},
		{
			name: "v0",
			in:   options(0),
			want: errorFrame(0x85, 0x10, 0, 0x0A, "Invalid or unsupported protocol version (0); supported versions are (3/v3, 4/v4, 5/v5-beta)"),
		},
		{
			// A v5 client that set USE_BETA would get 3.11's beta dialect;
			// this server has none and refuses in v4.
			name: "v5 with USE_BETA",
			in:   frameBytes(5, 0x10, 1, 0x05, nil),
			want: errorFrame(0x84, 0, 0, 0x0A, "Invalid or unsupported protocol version (5); supported versions are (3/v3, 4/v4)"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, addr)
			c.write(tt.in)
			got := make([]byte, len(tt.want))
			if _, err := io.ReadFull(c.br, got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("got\n%s\nwant\n%s", hex.Dump(got), hex.Dump(tt.want))
			}
			c.expectClosed()
		})
	}
	// The Python driver's first attempt, byte for byte as 3.11 sends it:
	// 107 bytes.
	t.Run("v66 is 107 bytes", func(t *testing.T) {
		want := errorFrame(0x85, 0x10, 0, 0x0A, "Invalid or unsupported protocol version (66); supported versions are (3/v3, 4/v4, 5/v5-beta)")
		if len(want) != 107 || hex.EncodeToString(want[:15]) != "8510000000000000620000000a005c" {
			t.Fatalf("frame %d bytes: %x", len(want), want[:15])
		}
	})
}

// v1 and v2 clients are answered in their own 8-byte header (CASSANDRA-11464).
func TestVersionNegotiationLegacyHeader(t *testing.T) {
	_, addr := startServer(t, Config{})
	for _, v := range []byte{1, 2} {
		c := dial(t, addr)
		// Only the version byte is needed for 3.11 to answer.
		c.write([]byte{v})
		msg := "Invalid or unsupported protocol version (" + string('0'+v) + "); supported versions are (3/v3, 4/v4, 5/v5-beta)"
		want := []byte{0x80 | v, 0, 0, 0, 0, 0, 0, byte(6 + len(msg)), 0, 0, 0, 0x0A, 0, byte(len(msg))}
		want = append(want, msg...)
		got := make([]byte, len(want))
		if _, err := io.ReadFull(c.br, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("v%d: got\n%s\nwant\n%s", v, hex.Dump(got), hex.Dump(want))
		}
		c.expectClosed()
	}
}

// After the error a driver retries with a lower version on a new
// connection; v4 and v3 are accepted.
func TestVersionNegotiationFallback(t *testing.T) {
	_, addr := startServer(t, Config{})
	for _, v := range []byte{4, 3} {
		c := dial(t, addr)
		m := c.roundTrip(v, 1, &message.Options{})
		if _, ok := m.(*message.Supported); !ok {
			t.Fatalf("v%d OPTIONS answered %v", v, m)
		}
		c.startup(v, nil)
		if m := c.roundTrip(v, 2, query("SELECT 1")); m.GetOpCode() != primitive.OpCodeResult {
			t.Fatalf("v%d QUERY answered %v", v, m)
		}
	}
}

func TestSupported(t *testing.T) {
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	m := c.roundTrip(4, 7, &message.Options{})
	got := m.(*message.Supported).Options
	want := map[string][]string{
		"CQL_VERSION":       {"3.4.4"},
		"COMPRESSION":       {"snappy", "lz4"},
		"PROTOCOL_VERSIONS": {"3/v3", "4/v4", "5/v5-beta"},
	}
	if len(got) != len(want) {
		t.Fatalf("SUPPORTED %v", got)
	}
	for k, v := range want {
		if !equalStrings(got[k], v) {
			t.Fatalf("SUPPORTED[%s] = %v, want %v", k, got[k], v)
		}
	}
	// OPTIONS stays valid once the connection is READY (drivers' heartbeat).
	c.startup(4, nil)
	if _, ok := c.roundTrip(4, 8, &message.Options{}).(*message.Supported); !ok {
		t.Fatal("OPTIONS on a READY connection")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
