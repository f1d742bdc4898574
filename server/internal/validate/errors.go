package validate

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// ErrUnavailable is matched (errors.Is) by every *UnavailableError.
var ErrUnavailable = errors.New("unavailable")

// UnavailableError says the consistency level cannot be met on this single
// node: fewer replicas are alive than the level blocks for. The server
// answers it with a thriftgen.UnavailableException, which errors.As finds
// through Unwrap.
type UnavailableError struct {
	CL       thriftgen.ConsistencyLevel // the level asked for
	Required int                        // replicas the level blocks for
	Alive    int                        // replicas alive (0 or 1 here)
}

// Error formats as Cassandra's UnavailableException does in its logs.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("Cannot achieve consistency level %s (required %d, alive %d)", e.CL, e.Required, e.Alive)
}

// Unwrap returns the Thrift exception to send, so that
// errors.As(err, new(*thriftgen.UnavailableException)) holds.
func (e *UnavailableError) Unwrap() error { return &thriftgen.UnavailableException{} }

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Invalid builds the InvalidRequestException that carries why verbatim.
func Invalid(why string) *thriftgen.InvalidRequestException {
	return &thriftgen.InvalidRequestException{Why: why}
}

func invalidf(format string, args ...any) *thriftgen.InvalidRequestException {
	return Invalid(fmt.Sprintf(format, args...))
}

// asError turns a possibly nil *InvalidRequestException into an error
// without the typed-nil trap.
func asError(ire *thriftgen.InvalidRequestException) error {
	if ire == nil {
		return nil
	}
	return ire
}

// MarshalMessage is the text Cassandra puts in an InvalidRequestException
// for a failed AbstractType.validate: the MarshalException message. A
// codec.ValidationError carries it in Msg; any other error gives its own
// text.
func MarshalMessage(err error) string {
	var ve *codec.ValidationError
	if errors.As(err, &ve) {
		return ve.Msg
	}
	return err.Error()
}

// validateWith runs t.Validate and converts a failure to an IRE whose why is
// the bare marshal message, as Cassandra does for names and keys. A nil type
// accepts anything (BytesType).
func validateWith(t interface{ Validate([]byte) error }, b []byte) *thriftgen.InvalidRequestException {
	if t == nil {
		return nil
	}
	if err := t.Validate(b); err != nil {
		return Invalid(MarshalMessage(err))
	}
	return nil
}

// missing answers a required argument or struct that is absent. Cassandra
// fails these with a protocol error or a dropped connection (a Java NPE);
// the emulator answers an InvalidRequestException instead (a deliberate
// deviation: CustomTThreadPoolServer closes the connection on a
// RuntimeException without replying).
func missing(field string) *thriftgen.InvalidRequestException {
	return invalidf("Required field '%s' was not present", field)
}
