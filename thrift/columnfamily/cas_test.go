package columnfamily_test

import (
	"errors"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// CompareAndSet is Thrift's cas: an empty expected list means "no live
// column", a list of columns means "exactly these values now"; a write
// that does not apply changes nothing.
func TestCFCompareAndSet(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	applied := must(cf.CompareAndSet(bg, "ann", nil, columnfamily.Cols{"name": "Ann"}))(t)
	equal(t, "first insert", applied, true)
	applied = must(cf.CompareAndSet(bg, "ann", columnfamily.ColumnList{}, columnfamily.Cols{"name": "Impostor"}))(t)
	equal(t, "second insert", applied, false)
	applied = must(cf.CompareAndSet(bg, "ann", columnfamily.Cols{"name": "Bob"}, columnfamily.Cols{"name": "Ann Lee"}))(t)
	equal(t, "wrong expectation", applied, false)
	equal(t, "unchanged", must(cf.Get(bg, "ann", query.Select{}))(t).Value("name"), "Ann")
	applied = must(cf.CompareAndSet(bg, "ann", columnfamily.Cols{"name": "Ann"}, columnfamily.Cols{"name": "Ann Lee"},
		columnfamily.Consistency(cassa.LocalSerial)))(t)
	equal(t, "right expectation", applied, true)
	equal(t, "swapped", must(cf.Get(bg, "ann", query.Select{}))(t).Value("name"), "Ann Lee")

	if _, err := cf.CompareAndSet(nil, "ann", nil, nil); !errors.Is(err, cassa.ErrInvalidArgument) {
		t.Errorf("nil context: %v", err)
	}
}
