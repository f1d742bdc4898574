package native

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// The library decodes a body without looking at what is left of it: a
// [value] or [long string] whose length says 2 GiB makes it allocate 2 GiB
// before it finds out the bytes are not there, and its errors are not the
// ones Cassandra sends. bodyReader therefore walks every request body once,
// with 3.11's CBUtil rules, before the library decodes it: lengths are
// checked against what the frame holds, and a body 3.11 would refuse gets
// 3.11's error (a ProtocolException with its text, or the ServerError that
// Netty's IndexOutOfBoundsException becomes).

// bodyReader reads a request body the way CBUtil does.
type bodyReader struct {
	b   []byte
	off int
	v   byte // protocol version
}

// short reports a read past the end: 3.11 hits Netty's bounds check, an
// IndexOutOfBoundsException that ErrorMessage turns into a ServerError.
func (r *bodyReader) short(n int) *wireError {
	return serverErr("java.lang.IndexOutOfBoundsException: readerIndex(%d) + length(%d) exceeds writerIndex(%d)", r.off, n, len(r.b))
}

func (r *bodyReader) take(n int) ([]byte, *wireError) {
	if n < 0 || n > len(r.b)-r.off {
		return nil, r.short(n)
	}
	p := r.b[r.off : r.off+n]
	r.off += n
	return p, nil
}

func (r *bodyReader) byte1() (byte, *wireError) {
	p, err := r.take(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

func (r *bodyReader) uint16() (uint16, *wireError) {
	p, err := r.take(2)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint16(p), nil
}

func (r *bodyReader) int32() (int32, *wireError) {
	p, err := r.take(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.BigEndian.Uint32(p)), nil
}

func (r *bodyReader) int64() (int64, *wireError) {
	p, err := r.take(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(p)), nil
}

// utf8Err is CBUtil.readString's message for bytes that are not UTF-8.
func utf8Err(p []byte) *wireError {
	return protocolErr("Cannot decode string as UTF8: '%s'; java.nio.charset.MalformedInputException: Input length = 1", hex.EncodeToString(p))
}

// string reads a [string] (CBUtil.readString).
func (r *bodyReader) string() (string, *wireError) {
	const msg = "Not enough bytes to read an UTF8 serialized string preceded by its 2 bytes length"
	if len(r.b)-r.off < 2 {
		return "", protocolErr(msg)
	}
	n := int(binary.BigEndian.Uint16(r.b[r.off:]))
	if n > len(r.b)-r.off-2 {
		return "", protocolErr(msg)
	}
	p := r.b[r.off+2 : r.off+2+n]
	if !utf8.Valid(p) {
		return "", utf8Err(p)
	}
	r.off += 2 + n
	return string(p), nil
}

// longString checks a [long string] (CBUtil.readLongString) and returns its
// bytes without copying them.
func (r *bodyReader) longString() ([]byte, *wireError) {
	const msg = "Not enough bytes to read an UTF8 serialized string preceded by its 4 bytes length"
	if len(r.b)-r.off < 4 {
		return nil, protocolErr(msg)
	}
	n := int(int32(binary.BigEndian.Uint32(r.b[r.off:])))
	if n < 0 || n > len(r.b)-r.off-4 {
		return nil, protocolErr(msg)
	}
	p := r.b[r.off+4 : r.off+4+n]
	if !utf8.Valid(p) {
		return nil, utf8Err(p)
	}
	r.off += 4 + n
	return p, nil
}

// shortBytes checks a [short bytes] (CBUtil.readBytes).
func (r *bodyReader) shortBytes() *wireError {
	const msg = "Not enough bytes to read a byte array preceded by its 2 bytes length"
	if len(r.b)-r.off < 2 {
		return protocolErr(msg)
	}
	n := int(binary.BigEndian.Uint16(r.b[r.off:]))
	if n > len(r.b)-r.off-2 {
		return protocolErr(msg)
	}
	r.off += 2 + n
	return nil
}

// value checks a [bytes] read with CBUtil.readValue: any negative length
// is null. It reports whether the value was null.
func (r *bodyReader) value() (null bool, err *wireError) {
	n, err := r.int32()
	if err != nil {
		return false, err
	}
	if n < 0 {
		return true, nil
	}
	_, err = r.take(int(n))
	return false, err
}

// boundValue checks a bound [value] (CBUtil.readBoundValue). Before v4
// every negative length means null; the library only knows -1 as null
// there, so the length is rewritten to -1 in place.
func (r *bodyReader) boundValue() *wireError {
	start := r.off
	n, err := r.int32()
	if err != nil {
		return err
	}
	switch {
	case n >= 0:
		_, err = r.take(int(n))
		return err
	case r.v < 4:
		binary.BigEndian.PutUint32(r.b[start:], math.MaxUint32) // -1
		return nil
	case n == -1 || n == -2:
		return nil
	default:
		return protocolErr("Invalid ByteBuf length %d", n)
	}
}

// valueList checks CBUtil.readValueList.
func (r *bodyReader) valueList() *wireError {
	n, err := r.uint16()
	if err != nil {
		return err
	}
	for range n {
		if err := r.boundValue(); err != nil {
			return err
		}
	}
	return nil
}

// nameAndValueList checks CBUtil.readNameAndValueList.
func (r *bodyReader) nameAndValueList() *wireError {
	n, err := r.uint16()
	if err != nil {
		return err
	}
	for range n {
		if _, err := r.string(); err != nil {
			return err
		}
		if err := r.boundValue(); err != nil {
			return err
		}
	}
	return nil
}

// consistency checks CBUtil.readConsistencyLevel: ConsistencyLevel.fromCode
// knows ANY (0) to LOCAL_ONE (10).
func (r *bodyReader) consistency() *wireError {
	c, err := r.uint16()
	if err != nil {
		return err
	}
	if c > uint16(primitive.ConsistencyLevelLocalOne) {
		return protocolErr("Unknown code %d for a consistency level", c)
	}
	return nil
}

// QueryOptions.Codec flags (v3/v4: one [byte]).
const (
	qfValues            = 0x01
	qfSkipMetadata      = 0x02
	qfPageSize          = 0x04
	qfPagingState       = 0x08
	qfSerialConsistency = 0x10
	qfTimestamp         = 0x20
	qfNamesForValues    = 0x40
)

// queryOptions checks QueryOptions.Codec.decode and returns the flags.
func (r *bodyReader) queryOptions() (byte, *wireError) {
	if err := r.consistency(); err != nil {
		return 0, err
	}
	flags, err := r.byte1()
	if err != nil {
		return 0, err
	}
	if flags&0x80 != 0 {
		// Unknown to 3.11's v3/v4 decoder, which ignores it; the library
		// would read a v5 keyspace for it.
		r.b[r.off-1] &^= 0x80
	}
	if flags&qfValues != 0 {
		if flags&qfNamesForValues != 0 {
			err = r.nameAndValueList()
		} else {
			err = r.valueList()
		}
		if err != nil {
			return 0, err
		}
	}
	if flags&qfPageSize != 0 {
		if _, err := r.int32(); err != nil {
			return 0, err
		}
	}
	if flags&qfPagingState != 0 {
		if _, err := r.value(); err != nil {
			return 0, err
		}
	}
	if flags&qfSerialConsistency != 0 {
		if err := r.consistency(); err != nil {
			return 0, err
		}
	}
	if flags&qfTimestamp != 0 {
		ts, err := r.int64()
		if err != nil {
			return 0, err
		}
		if ts == math.MinInt64 {
			return 0, protocolErr("Out of bound timestamp, must be in [%d, %d] (got %d)", int64(math.MinInt64+1), int64(math.MaxInt64), ts)
		}
	}
	return flags, nil
}

// checkQuery checks QueryMessage.codec.decode.
func checkQuery(r *bodyReader) (byte, *wireError) {
	if _, err := r.longString(); err != nil {
		return 0, err
	}
	return r.queryOptions()
}

// checkPrepare checks PrepareMessage.codec.decode.
func checkPrepare(r *bodyReader) *wireError {
	_, err := r.longString()
	return err
}

// checkExecute checks ExecuteMessage.codec.decode.
func checkExecute(r *bodyReader) (byte, *wireError) {
	if err := r.shortBytes(); err != nil {
		return 0, err
	}
	return r.queryOptions()
}

// checkBatch checks BatchMessage.codec.decode, which reads every statement
// and the options before it looks at the batch type.
func checkBatch(r *bodyReader) *wireError {
	typ, err := r.byte1()
	if err != nil {
		return err
	}
	n, err := r.uint16()
	if err != nil {
		return err
	}
	for range n {
		kind, err := r.byte1()
		if err != nil {
			return err
		}
		switch kind {
		case 0:
			_, err = r.longString()
		case 1:
			err = r.shortBytes()
		default:
			// Java's byte is signed.
			return protocolErr("Invalid query kind in BATCH messages. Must be 0 or 1 but got %d", int8(kind))
		}
		if err != nil {
			return err
		}
		if err := r.valueList(); err != nil {
			return err
		}
	}
	if _, err := r.queryOptions(); err != nil {
		return err
	}
	if typ > 2 {
		return protocolErr("Invalid BATCH message type %d", int8(typ))
	}
	return nil
}

// checkStartup checks StartupMessage.codec.decode ([string map]).
func checkStartup(r *bodyReader) *wireError {
	n, err := r.uint16()
	if err != nil {
		return err
	}
	for range 2 * int(n) {
		if _, err := r.string(); err != nil {
			return err
		}
	}
	return nil
}

// checkAuthResponse checks AuthResponse.codec.decode: a null token makes
// 3.11 fail with a NullPointerException, a ServerError.
func checkAuthResponse(r *bodyReader) *wireError {
	null, err := r.value()
	if err != nil {
		return err
	}
	if null {
		return serverErr("java.lang.NullPointerException")
	}
	return nil
}

// Event types a connection can REGISTER for (Event.Type). TRACE_COMPLETE
// is accepted from v4 on but never sent, as in 3.11.
const (
	EventTopologyChange = primitive.EventTypeTopologyChange
	EventStatusChange   = primitive.EventTypeStatusChange
	EventSchemaChange   = primitive.EventTypeSchemaChange
	EventTraceComplete  = primitive.EventType("TRACE_COMPLETE")
)

// readRegister decodes RegisterMessage.codec.decode by hand: 3.11 upper-
// cases each name (CBUtil.readEnumValue) and the library accepts only
// upper-case names.
func readRegister(r *bodyReader) ([]primitive.EventType, *wireError) {
	n, err := r.uint16()
	if err != nil {
		return nil, err
	}
	types := make([]primitive.EventType, 0, min(int(n), 4))
	for range n {
		s, err := r.string()
		if err != nil {
			return nil, err
		}
		t := primitive.EventType(strings.ToUpper(s))
		switch t {
		case EventTopologyChange, EventStatusChange, EventSchemaChange, EventTraceComplete:
		default:
			return nil, protocolErr("Invalid value '%s' for Type", s)
		}
		types = append(types, t)
	}
	return types, nil
}

// skipBytesMap checks the [bytes map] of a CUSTOM_PAYLOAD body prefix.
// 3.11 reads it outside the per-frame error wrapper, so its errors go out
// on stream 0.
func skipBytesMap(r *bodyReader) *wireError {
	err := func() *wireError {
		n, err := r.uint16()
		if err != nil {
			return err
		}
		for range n {
			if _, err := r.string(); err != nil {
				return err
			}
			if _, err := r.value(); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		err.stream0 = true
	}
	return err
}
