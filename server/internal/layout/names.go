package layout

import (
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
	if col == nil || (col.Kind != Regular && col.Kind != Static) {
		return nil, fmt.Errorf("layout: only regular and static columns have cells")
	}
	switch l.shape {
	case Sparse:
		if len(element) > maxComponent {
			return nil, invalidf("%s", elementTooLong(col, len(element)))
		}
		if col.Kind == Static {
			return l.staticName(col, element), nil
		}
		if err := l.needClustering(ck); err != nil {
			return nil, err
		}
		out := make([]byte, 0, l.nameSize(ck)+len(col.Bytes)+3+len(element)+3)
		out = compositePrefix(out, ck, eocNone)
		out = appendComponent(out, col.Bytes, eocNone)
		if col.Collection != NotCollection && element != nil {
			out = appendComponent(out, element, eocNone)
		}
		return out, nil
	case StaticCompact:
		return col.Bytes, nil
	case DenseSimple, DenseCompound:
		return l.clusteringName(ck)
	}
	return nil, fmt.Errorf("layout: %s cells have a super column and a name", l.shape)
}

// elementTooLong is Cassandra 2.2's refusal of a collection element that a
// 2-byte component cannot hold (Sets.java, Maps.java).
func elementTooLong(col *Column, n int) string {
	if col.Collection == Map {
		return fmt.Sprintf("Map key is too long. Map keys are limited to %d bytes but %d bytes keys provided", maxComponent, n)
	}
	return fmt.Sprintf("Set value is too long. Set values are limited to %d bytes but %d bytes value provided", maxComponent, n)
}

// staticName is FFFF, one empty component per clustering column, then the
// column name (and element) component (CompoundSparseCellNameType.staticPrefix).
func (l *Layout) staticName(col *Column, element []byte) []byte {
	out := make([]byte, 0, 2+3*len(l.ck)+len(col.Bytes)+3+len(element)+3)
	out = binary.BigEndian.AppendUint16(out, staticMarker)
	for range l.ck {
		out = append(out, 0, 0, 0)
	}
	out = appendComponent(out, col.Bytes, eocNone)
	if col.Collection != NotCollection && element != nil {
		out = appendComponent(out, element, eocNone)
	}
	return out
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
	err := l.decodeName(&n, super, name)
	return n, err
}

// decodeName decodes into n, reusing n.Clustering's array.
func (l *Layout) decodeName(n *Name, super, name []byte) error {
	ck := n.Clustering[:0]
	*n = Name{}
	switch l.shape {
	case Sparse:
		return l.decodeSparse(n, ck, name)
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
	}
	return malformed("unknown shape")
}

func (l *Layout) decodeSparse(n *Name, ck [][]byte, name []byte) error {
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
	n.Column = l.byBytes[string(colName)]
	if len(rest) > 0 {
		e, _, r, ok := readComponent(rest)
		if !ok || len(r) > 0 {
			return malformed("collection element component")
		}
		if n.Column != nil && n.Column.Collection == NotCollection {
			return malformed("element component on non-collection column %q", n.Column.Name)
		}
		n.Element, n.HasElement = e, true
	} else if n.Column != nil && n.Column.Collection != NotCollection {
		return malformed("collection cell %q without element", n.Column.Name)
	}
	return nil
}
