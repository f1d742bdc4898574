package errinfo

// Sentinel returns a sentinel error reading msg that errors.Is also
// matches to general, so that a package's own sentinel (an invalid
// option of the column family, say) is found by a caller who checks
// the family every package shares (cassa.ErrInvalidArgument).
func Sentinel(msg string, general error) error {
	return &sentinel{msg: msg, general: general}
}

type sentinel struct {
	msg     string
	general error
}

func (e *sentinel) Error() string { return e.msg }

// Is reports whether target is the general sentinel.
func (e *sentinel) Is(target error) bool { return target == e.general }
