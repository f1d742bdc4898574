package layout

import (
	"fmt"
	"math"
	"math/bits"
)

// PagingState is where a paged query resumes, in 3.11's terms
// (service/pager/PagingState): the partition the last page stopped in, the
// clustering of its last row, and the rows the statement's LIMIT and PER
// PARTITION LIMIT still allow. Drivers treat it as opaque bytes.
type PagingState struct {
	// PartitionKey is the partition of the last row returned.
	PartitionKey []byte
	// RowMark is the clustering of the last row returned, as EncodeRowMark
	// serializes it; nil when that row was a partition's static row (the
	// partition is then finished).
	RowMark []byte
	// Remaining is how many rows LIMIT still allows (math.MaxInt32 without
	// a LIMIT, counting down); RemainingInPartition the same for PER
	// PARTITION LIMIT in PartitionKey's partition.
	Remaining            int32
	RemainingInPartition int32
}

// Encode serializes the state in 3.11's format for protocol v4 and later
// (PagingState.modernSerialize): the partition key and the row mark, each
// with an unsigned vint length, then the two counts as unsigned vints.
func (s *PagingState) Encode() []byte {
	out := make([]byte, 0, len(s.PartitionKey)+len(s.RowMark)+12)
	out = appendUvint(out, uint64(len(s.PartitionKey)))
	out = append(out, s.PartitionKey...)
	out = appendUvint(out, uint64(len(s.RowMark)))
	out = append(out, s.RowMark...)
	out = appendUvint(out, uint64(max(s.Remaining, 0)))
	return appendUvint(out, uint64(max(s.RemainingInPartition, 0)))
}

// DecodePagingState parses what Encode produced. Anything else (3.11's
// isModernSerialized refusing it, or counts beyond an int) gives an error
// wrapping ErrBadPagingState. The state's slices alias b.
func DecodePagingState(b []byte) (*PagingState, error) {
	d := vintReader{b: b}
	key := d.bytes()
	mark := d.bytes()
	rem := d.uvint()
	remPart := d.uvint()
	if d.err != nil || len(d.b) != 0 {
		return nil, ErrBadPagingState
	}
	if rem > math.MaxInt32 || remPart > math.MaxInt32 {
		return nil, fmt.Errorf("%w: count out of range", ErrBadPagingState)
	}
	s := &PagingState{Remaining: int32(rem), RemainingInPartition: int32(remPart)}
	if len(key) > 0 {
		s.PartitionKey = key
	}
	if len(mark) > 0 {
		s.RowMark = mark
	}
	return s, nil
}

// EncodeRowMark serializes a row's clustering as 3.11's paging state does
// for protocol v4 (Clustering.serializer at messaging version 3.0 with
// every type taken as BytesType): per batch of 32 values an unsigned vint
// header with two bits a value (empty, null), then each value that is
// neither as an unsigned vint length and its bytes.
func (l *Layout) EncodeRowMark(ck [][]byte) []byte {
	var out []byte
	for off := 0; off < len(ck); off += 32 {
		end := min(len(ck), off+32)
		var header uint64
		for i := off; i < end; i++ {
			switch v := ck[i]; {
			case v == nil:
				header |= 1 << (uint(i-off)*2 + 1)
			case len(v) == 0:
				header |= 1 << (uint(i-off) * 2)
			}
		}
		out = appendUvint(out, header)
		for i := off; i < end; i++ {
			if len(ck[i]) > 0 {
				out = appendUvint(out, uint64(len(ck[i])))
				out = append(out, ck[i]...)
			}
		}
	}
	return out
}

// DecodeRowMark parses a row mark of this table: one value per clustering
// column (nil for null), each valid for its column's type. Garbage gives an
// error wrapping ErrBadPagingState. The values alias b.
func (l *Layout) DecodeRowMark(b []byte) ([][]byte, error) {
	n := len(l.ck)
	out := make([][]byte, n)
	d := vintReader{b: b}
	for off := 0; off < n; off += 32 {
		end := min(n, off+32)
		header := d.uvint()
		if d.err != nil {
			return nil, ErrBadPagingState
		}
		if width := uint(end-off) * 2; width < 64 && header>>width != 0 {
			return nil, fmt.Errorf("%w: row mark header", ErrBadPagingState)
		}
		for i := off; i < end; i++ {
			null := header&(1<<(uint(i-off)*2+1)) != 0
			empty := header&(1<<(uint(i-off)*2)) != 0
			switch {
			case null && empty:
				return nil, fmt.Errorf("%w: row mark value both null and empty", ErrBadPagingState)
			case null:
			case empty:
				out[i] = []byte{}
			default:
				v := d.bytes()
				if d.err != nil || len(v) == 0 {
					return nil, fmt.Errorf("%w: row mark value %d", ErrBadPagingState, i)
				}
				if err := l.ck[i].Type.Validate(v); err != nil || len(v) > maxComponent {
					return nil, fmt.Errorf("%w: row mark value %d does not fit column %s", ErrBadPagingState, i, l.ck[i].Name)
				}
				out[i] = v
			}
		}
	}
	if len(d.b) != 0 || n == 0 {
		return nil, fmt.Errorf("%w: row mark", ErrBadPagingState)
	}
	return out, nil
}

// Cassandra's unsigned vints (utils/vint/VIntCoding): the count of leading
// 1 bits of the first byte is the count of extra bytes; the value is
// big-endian in what remains.

func uvintSize(v uint64) int {
	magnitude := bits.LeadingZeros64(v | 1)
	return (639 - magnitude*9) >> 6
}

func appendUvint(dst []byte, v uint64) []byte {
	size := uvintSize(v)
	if size == 1 {
		return append(dst, byte(v))
	}
	var buf [9]byte
	extra := size - 1
	for i := extra; i >= 0; i-- {
		buf[i] = byte(v)
		v >>= 8
	}
	buf[0] |= ^byte(0xff >> uint(extra))
	return append(dst, buf[:size]...)
}

type vintReader struct {
	b   []byte
	err error
}

func (d *vintReader) uvint() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.err = ErrBadPagingState
		return 0
	}
	first := d.b[0]
	extra := bits.LeadingZeros8(^first)
	if len(d.b) < 1+extra {
		d.err = ErrBadPagingState
		return 0
	}
	v := uint64(first & (0xff >> uint(extra)))
	if extra == 8 {
		v = 0
	}
	for _, c := range d.b[1 : 1+extra] {
		v = v<<8 | uint64(c)
	}
	d.b = d.b[1+extra:]
	return v
}

func (d *vintReader) bytes() []byte {
	n := d.uvint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = ErrBadPagingState
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}
