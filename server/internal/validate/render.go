package validate

import "github.com/cassa-go/cassa/codec"

// RenderName renders a column name as Cassandra's AbstractType.getString
// does for the comparator t, for messages such as "[ks][cf][<name>] failed
// validation". It is codec.Format: hex for BytesType and for anything that
// cannot be decoded, the text for AsciiType/UTF8Type, Java's number formats,
// "yyyy-MM-dd HH:mmZ" dates (UTC), UUID strings, host addresses, and
// escaped "c1:c2" composites. A nil type is BytesType.
func RenderName(t codec.Type, b []byte) string {
	return codec.Format(t, b)
}
