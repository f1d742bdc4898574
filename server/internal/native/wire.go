package native

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// Sizes and limits of the v3/v4 framing (Frame.Header, Frame.Decoder).
const (
	// headerLen is the v3+ frame header: version, flags, stream (2), opcode,
	// body length (4).
	headerLen = 9
	// DefaultMaxFrameSize is native_transport_max_frame_size_in_mb (256) in
	// bytes: a frame whose header plus body is longer is refused.
	DefaultMaxFrameSize = 256 << 20
	// DefaultMaxConcurrentRequests bounds the QUERY, PREPARE, EXECUTE and
	// BATCH requests one connection runs at once, like 3.11's
	// native_transport_max_threads (128).
	DefaultMaxConcurrentRequests = 128
)

// Header flags (Frame.Header.Flag).
const (
	flagCompressed    = byte(primitive.HeaderFlagCompressed)
	flagTracing       = byte(primitive.HeaderFlagTracing)
	flagCustomPayload = byte(primitive.HeaderFlagCustomPayload)
	flagWarning       = byte(primitive.HeaderFlagWarning)
	flagUseBeta       = byte(primitive.HeaderFlagUseBeta)
)

// responseBit marks a response in the version byte (Message.Direction).
const responseBit = 0x80

// opcodeCREDENTIALS is protocol v1's login message; 3.11 still knows its
// opcode, and the library does not.
const opcodeCREDENTIALS = 0x04

// opcodeInfo is one row of 3.11's Message.Type table: the name used in
// error messages and the direction the opcode travels.
type opcodeInfo struct {
	name     string
	response bool
}

// opcodes is Message.Type indexed by opcode; 0x00-0x10 are all defined.
var opcodes = [...]opcodeInfo{
	0x00: {"ERROR", true},
	0x01: {"STARTUP", false},
	0x02: {"READY", true},
	0x03: {"AUTHENTICATE", true},
	0x04: {"CREDENTIALS", false},
	0x05: {"OPTIONS", false},
	0x06: {"SUPPORTED", true},
	0x07: {"QUERY", false},
	0x08: {"RESULT", true},
	0x09: {"PREPARE", false},
	0x0A: {"EXECUTE", false},
	0x0B: {"REGISTER", false},
	0x0C: {"EVENT", true},
	0x0D: {"BATCH", false},
	0x0E: {"AUTH_CHALLENGE", true},
	0x0F: {"AUTH_RESPONSE", false},
	0x10: {"AUTH_SUCCESS", true},
}

// opcodeName is the Message.Type name of a known opcode.
func opcodeName(op byte) string {
	if int(op) < len(opcodes) {
		return opcodes[op].name
	}
	return fmt.Sprintf("0x%02X", op)
}

func direction(response bool) string {
	if response {
		return "RESPONSE"
	}
	return "REQUEST"
}

// header is a decoded v3+ frame header.
type header struct {
	version  byte // without the direction bit
	response bool
	flags    byte
	stream   int16
	opcode   byte
	length   uint32 // Frame.Decoder reads it unsigned
}

func parseHeader(b []byte) header {
	return header{
		version:  b[0] &^ responseBit,
		response: b[0]&responseBit != 0,
		flags:    b[1],
		stream:   int16(binary.BigEndian.Uint16(b[2:4])),
		opcode:   b[4],
		length:   binary.BigEndian.Uint32(b[5:9]),
	}
}

// checkOpcode is Message.Type.fromOpcode: an unknown opcode, or one that
// travels the other way, is a protocol error.
func checkOpcode(h header) *wireError {
	if int(h.opcode) >= len(opcodes) {
		return protocolErr("Unknown opcode %d", h.opcode)
	}
	if info := opcodes[h.opcode]; info.response != h.response {
		return protocolErr("Wrong protocol direction (expected %s, got %s) for opcode %d (%s)",
			direction(info.response), direction(h.response), h.opcode, info.name)
	}
	return nil
}

// versionName is ProtocolVersion.toString, e.g. "4/v4".
func versionName(v byte) string {
	switch v {
	case 5:
		return "5/v5-beta"
	default:
		return fmt.Sprintf("%d/v%d", v, v)
	}
}

// supportedVersions is 3.11's ProtocolVersion.SUPPORTED as printed in its
// messages and in SUPPORTED's PROTOCOL_VERSIONS.
var supportedVersions = []string{"3/v3", "4/v4", "5/v5-beta"}

// invalidVersionMessage is ProtocolVersion.invalidVersionMessage.
func invalidVersionMessage(v byte) string {
	return fmt.Sprintf("Invalid or unsupported protocol version (%d); supported versions are (3/v3, 4/v4, 5/v5-beta)", v)
}

// wireError is an ERROR answer decided by the connection layer itself:
// Cassandra's ProtocolException (0x000A), ServerError (0x0000) for what it
// did not anticipate, InvalidRequestException (0x2200) for an oversized
// frame.
type wireError struct {
	code primitive.ErrorCode
	msg  string
	// stream0 marks errors 3.11 raises outside the per-frame wrapper
	// (ErrorMessage.wrap), which ErrorMessage.fromException sends on
	// stream 0 instead of the request's.
	stream0 bool
}

func protocolErr(format string, args ...any) *wireError {
	return &wireError{code: primitive.ErrorCodeProtocolError, msg: fmt.Sprintf(format, args...)}
}

func serverErr(format string, args ...any) *wireError {
	return &wireError{code: primitive.ErrorCodeServerError, msg: fmt.Sprintf(format, args...)}
}

// message returns the library's error message for e.
func (e *wireError) message() message.Message {
	switch e.code {
	case primitive.ErrorCodeProtocolError:
		return &message.ProtocolError{ErrorMessage: e.msg}
	case primitive.ErrorCodeInvalid:
		return &message.Invalid{ErrorMessage: e.msg}
	default:
		return &message.ServerError{ErrorMessage: e.msg}
	}
}

func (e *wireError) Error() string { return e.msg }

// cqlVersionPattern is CassandraVersion's VERSION_REGEXP.
var cqlVersionPattern = regexp.MustCompile(`^(\d+)\.(\d+)(?:\.(\w+))?(-[.\w]+)?([.+][.\w]+)?$`)

// checkCQLVersion is StartupMessage.execute's CQL_VERSION check: the value
// must parse as a CassandraVersion and be at least 2.99.0.
func checkCQLVersion(v string) *wireError {
	m := cqlVersionPattern.FindStringSubmatch(strings.Replace(v, "-SNAPSHOT", "", 1))
	if m == nil {
		return protocolErr("Invalid version value: %s", v)
	}
	var nums [3]int
	for i, s := range m[1:4] {
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 32) // Integer.parseInt
		if err != nil {
			return protocolErr("Invalid version value: %s", v)
		}
		nums[i] = int(n)
	}
	// Compared with 2.99.0; a pre-release sorts before its release.
	older := nums[0] < 2 || nums[0] == 2 && (nums[1] < 99 || nums[1] == 99 && nums[2] == 0 && m[4] != "")
	if older {
		return protocolErr("CQL version %s is not supported by the binary protocol (supported version are >= 3.0.0)", v)
	}
	return nil
}
