package layout

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eoc is a composite component's end-of-component byte (Composite.EOC):
// -1 sorts before every name extending the prefix, +1 after them.
type eoc int8

const (
	eocStart eoc = -1
	eocNone  eoc = 0
	eocEnd   eoc = 1
)

// maxComponent is the most a 2-byte component length can say.
const maxComponent = 0xffff

// staticMarker starts the name of a static cell (CompositeType.STATIC_MARKER).
const staticMarker = 0xffff

// appendComponent appends one composite component: 2-byte length, value,
// end-of-component byte. The caller has checked the length.
func appendComponent(dst, v []byte, e eoc) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(v)))
	dst = append(dst, v...)
	return append(dst, byte(e))
}

// readComponent splits the first component off b.
func readComponent(b []byte) (v []byte, e eoc, rest []byte, ok bool) {
	if len(b) < 3 {
		return nil, 0, nil, false
	}
	n := int(binary.BigEndian.Uint16(b))
	if len(b) < 3+n {
		return nil, 0, nil, false
	}
	return b[2 : 2+n], eoc(int8(b[2+n])), b[3+n:], true
}

// checkClustering refuses clustering values a composite component cannot
// hold, with 3.11's message. A composite's first component is one byte
// shorter: 65535 bytes would read as the static marker.
func (l *Layout) checkClustering(ck [][]byte) error {
	for i, v := range ck {
		limit := maxComponent
		if i == 0 && (l.shape == Sparse || l.shape == DenseCompound) {
			limit = maxComponent - 1
		}
		if len(v) > limit {
			return invalidf("Key length of %d is longer than maximum of %d", len(v), limit)
		}
	}
	return nil
}

// compositePrefix appends ck as composite components, the last one with
// end-of-component e (the others 0).
func compositePrefix(dst []byte, ck [][]byte, e eoc) []byte {
	for i, v := range ck {
		x := eocNone
		if i == len(ck)-1 {
			x = e
		}
		dst = appendComponent(dst, v, x)
	}
	return dst
}

// needClustering checks that ck gives every clustering column.
func (l *Layout) needClustering(ck [][]byte) error {
	if len(ck) != len(l.ck) {
		return fmt.Errorf("layout: %d clustering values for %d clustering columns", len(ck), len(l.ck))
	}
	return l.checkClustering(ck)
}

// CellName returns the name of col's cell in the row ck (ignored for a
// static column), with element appended for a non-frozen collection's
// element (the list's time UUID, the set element, the map key; nil for the
// whole-column name that collection tombstones bound). Super column
// families name cells with two parts; use the Update methods there.
func (l *Layout) CellName(ck [][]byte, col *Column, element []byte) ([]byte, error) {
	_, name, err := l.appendCellName(nil, ck, col, element)
	return name, err
}

// appendCellName returns the name CellName returns. A Sparse name is built
// in arena's spare capacity when it fits (else in a new array) and arena
// comes back extended over it; other shapes' names already exist and
// arena comes back as it was.
func (l *Layout) appendCellName(arena []byte, ck [][]byte, col *Column, element []byte) (newArena, name []byte, err error) {
	if col == nil || (col.Kind != Regular && col.Kind != Static) {
		return arena, nil, fmt.Errorf("layout: only regular and static columns have cells")
	}
	switch l.shape {
	case Sparse:
		if len(element) > maxComponent {
			return arena, nil, invalidf("%s", elementTooLong(col, len(element)))
		}
		if col.Collection == NotCollection {
			element = nil
		}
		var need int
		if col.Kind == Static {
			need = 2 + 3*len(l.ck)
		} else {
			if err := l.needClustering(ck); err != nil {
				return arena, nil, err
			}
			need = l.nameSize(ck)
		}
		need += 3 + len(col.Bytes)
		if element != nil {
			need += 3 + len(element)
		}
		dst := arena
		inArena := cap(dst)-len(dst) >= need
		if !inArena {
			dst = make([]byte, 0, need)
		}
		start := len(dst)
		if col.Kind == Static {
			dst = binary.BigEndian.AppendUint16(dst, staticMarker)
			for range l.ck {
				dst = append(dst, 0, 0, 0)
			}
		} else {
			dst = compositePrefix(dst, ck, eocNone)
		}
		dst = appendComponent(dst, col.Bytes, eocNone)
		if element != nil {
			dst = appendComponent(dst, element, eocNone)
		}
		name = dst[start:len(dst):len(dst)]
		if inArena {
			arena = dst // keep the arena past the name
		}
		return arena, name, nil
	case StaticCompact:
		return arena, col.Bytes, nil
	case DenseSimple, DenseCompound:
		name, err = l.clusteringName(ck)
		return arena, name, err
	}
	return arena, nil, fmt.Errorf("layout: %s cells have a super column and a name", l.shape)
}

// elementTooLong is Cassandra 2.2's refusal of a collection element that a
// 2-byte component cannot hold (Sets.java, Maps.java).
func elementTooLong(col *Column, n int) string {
	if col.Collection == Map {
		return fmt.Sprintf("Map key is too long. Map keys are limited to %d bytes but %d bytes keys provided", maxComponent, n)
	}
	return fmt.Sprintf("Set value is too long. Set values are limited to %d bytes but %d bytes value provided", maxComponent, n)
}

func (l *Layout) nameSize(ck [][]byte) int {
	n := 0
	for _, v := range ck {
		n += 3 + len(v)
	}
	return n
}

// clusteringName is a dense cell's name: the clustering value, or the
// composite of the clustering values.
func (l *Layout) clusteringName(ck [][]byte) ([]byte, error) {
	if err := l.needClustering(ck); err != nil {
		return nil, err
	}
	if l.shape == DenseSimple {
		if len(ck[0]) == 0 {
			return nil, invalidf("Invalid empty or null value for column %s", l.ck[0].Name)
		}
		return ck[0], nil
	}
	return compositePrefix(make([]byte, 0, l.nameSize(ck)), ck, eocNone), nil
}

// RowMarker returns the name of row ck's marker: its clustering and an empty
// column name (CompoundSparseCellNameType.rowMarker). Only Sparse tables
// have markers.
func (l *Layout) RowMarker(ck [][]byte) ([]byte, error) {
	if l.shape != Sparse {
		return nil, fmt.Errorf("layout: %s tables have no row marker", l.shape)
	}
	if err := l.needClustering(ck); err != nil {
		return nil, err
	}
	out := make([]byte, 0, l.nameSize(ck)+3)
	out = compositePrefix(out, ck, eocNone)
	return appendComponent(out, nil, eocNone), nil
}

// lookup finds the regular or static column named b.
func (l *Layout) lookup(b []byte, hint *int) *Column {
	if hint != nil {
		i := *hint
		for _, j := range [2]int{i, i + 1} {
			if j < len(l.named) && bytes.Equal(l.named[j].Bytes, b) {
				*hint = j
				return l.named[j]
			}
		}
	}
	c := l.byBytes[string(b)]
	if c != nil && hint != nil {
		*hint = c.named
	}
	return c
}

// Name is a decoded cell name.
type Name struct {
	// Static marks a static cell (and every cell of a StaticCompact table,
	// whose columns 3.11 holds as statics).
	Static bool
	// Marker marks a row marker.
	Marker bool
	// Clustering holds the clustering values (aliasing the name); nil for a
	// static cell. A dense composite name with fewer components than
	// clustering columns leaves the missing ones nil.
	Clustering [][]byte
	// Column is the cell's column: nil for a marker, a dense table without
	// value column, or a name no column answers to (ColumnBytes then holds
	// it: a dropped column, a Thrift "dynamic" column).
	Column      *Column
	ColumnBytes []byte
	// Element is the collection element part of the name, if any.
	Element    []byte
	HasElement bool
}

// DecodeName decodes a stored cell name (super is the super column name of
// a super column family's cell, else nil). Names that do not follow the
// layout give an error wrapping ErrMalformed.
func (l *Layout) DecodeName(super, name []byte) (Name, error) {
	var n Name
	err := l.decodeName(&n, super, name, nil)
	return n, err
}

// decodeName decodes into n, reusing n.Clustering's array. hint, when
// given, remembers where in l.named the last column was found: the cells of
// a row come in column-name order, so the next column is usually the one
// after it, found without a map lookup.
func (l *Layout) decodeName(n *Name, super, name []byte, hint *int) error {
	ck := n.Clustering[:0]
	*n = Name{}
	switch l.shape {
	case Sparse:
		return l.decodeSparse(n, ck, name, hint)
	case StaticCompact:
		n.Static, n.ColumnBytes = true, name
		n.Column = l.byBytes[string(name)]
		return nil
	case DenseSimple:
		if len(name) == 0 {
			return malformed("empty cell name")
		}
		n.Clustering, n.Column = append(ck, name), l.value
		return nil
	case DenseCompound:
		rest := name
		for len(rest) > 0 {
			if len(ck) == len(l.ck) {
				return malformed("more components than the %d clustering columns", len(l.ck))
			}
			v, _, r, ok := readComponent(rest)
			if !ok {
				return malformed("truncated component %d", len(ck))
			}
			ck, rest = append(ck, v), r
		}
		if len(ck) == 0 {
			return malformed("empty cell name")
		}
		for len(ck) < len(l.ck) {
			ck = append(ck, nil)
		}
		n.Clustering, n.Column = ck, l.value
		return nil
	case Super:
		n.Clustering, n.Column = append(ck, super, name), l.value
		return nil
	case SuperSparse:
		if super == nil {
			return malformed("a super column family's cell without a super column")
		}
		n.Clustering, n.ColumnBytes = append(ck, super), name
		n.Column = l.lookup(name, hint)
		return nil
	}
	return malformed("unknown shape")
}

func (l *Layout) decodeSparse(n *Name, ck [][]byte, name []byte, hint *int) error {
	rest := name
	if len(rest) >= 2 && binary.BigEndian.Uint16(rest) == staticMarker {
		n.Static = true
		rest = rest[2:]
	}
	for i := range l.ck {
		v, _, r, ok := readComponent(rest)
		if !ok {
			return malformed("clustering component %d is truncated", i)
		}
		if n.Static && len(v) != 0 {
			return malformed("static name with clustering value %d", i)
		}
		ck, rest = append(ck, v), r
	}
	if !n.Static {
		n.Clustering = ck
	}
	colName, _, r, ok := readComponent(rest)
	if !ok {
		return malformed("column name component is truncated")
	}
	rest = r
	if len(colName) == 0 {
		if n.Static || len(rest) > 0 {
			return malformed("row marker with more components")
		}
		n.Marker = true
		return nil
	}
	n.ColumnBytes = colName
	n.Column = l.lookup(colName, hint)
	if n.Column != nil && (n.Column.Kind == Static) != n.Static {
		// A static column's name without the marker, or the reverse: not
		// this column's cell (only a Thrift client can write one).
		n.Column = nil
	}
	if len(rest) > 0 {
		e, _, r, ok := readComponent(rest)
		if !ok || len(r) > 0 {
			return malformed("collection element component")
		}
		if n.Column != nil && n.Column.Collection == NotCollection {
			return malformed("element component on non-collection column %q", n.Column.Name)
		}
		n.Element, n.HasElement = e, true
	} else if n.Column != nil && n.Column.Collection == UDT {
		// A user type value stored whole (before its fields had cells of
		// their own): not one of the column's cells, ignored.
		n.Column = nil
	} else if n.Column != nil && n.Column.Collection != NotCollection {
		return malformed("collection cell %q without element", n.Column.Name)
	}
	return nil
}
