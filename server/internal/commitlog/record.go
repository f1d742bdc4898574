package commitlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// recordHeaderSize is the length and checksum in front of every payload.
const recordHeaderSize = 8

// MaxRecordSize bounds one record's payload. A length field above it can only
// come from corruption, so replay never tries to allocate for it.
const MaxRecordSize = 256 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum covers the length as well as the payload, so a flipped length bit
// is caught even when the payload bytes happen to line up.
func checksum(length uint32, payload []byte) uint32 {
	var lb [4]byte
	binary.BigEndian.PutUint32(lb[:], length)
	c := crc32.Update(0, castagnoli, lb[:])
	return crc32.Update(c, castagnoli, payload)
}

// appendRecord frames payload onto dst.
func appendRecord(dst, payload []byte) []byte {
	n := uint32(len(payload))
	dst = binary.BigEndian.AppendUint32(dst, n)
	dst = binary.BigEndian.AppendUint32(dst, checksum(n, payload))
	return append(dst, payload...)
}

// errTorn means the bytes end inside a record; errBadRecord means a complete
// frame whose checksum or length is wrong.
var (
	errTorn      = errors.New("record runs past the end of the file")
	errBadRecord = errors.New("record checksum mismatch")
)

// parseRecord reads one record from b. It returns the payload and the number
// of bytes consumed.
func parseRecord(b []byte) (payload []byte, n int, err error) {
	if len(b) < recordHeaderSize {
		return nil, 0, errTorn
	}
	length := binary.BigEndian.Uint32(b)
	sum := binary.BigEndian.Uint32(b[4:])
	if length > MaxRecordSize {
		return nil, 0, fmt.Errorf("%w: length %d over the %d-byte limit", errBadRecord, length, MaxRecordSize)
	}
	end := recordHeaderSize + int(length)
	if end > len(b) {
		return nil, 0, errTorn
	}
	payload = b[recordHeaderSize:end]
	if checksum(length, payload) != sum {
		return nil, 0, errBadRecord
	}
	return payload, end, nil
}
