package migrate

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cassa-go/cassa"
)

// Sentinel errors. The typed errors below match them with errors.Is.
var (
	// ErrKeyspaceNotFound is returned when a named keyspace does not exist.
	ErrKeyspaceNotFound = errors.New("migrate: keyspace not found")
	// ErrColumnFamilyNotFound matches a named column family that does not
	// exist in its keyspace. It is cassa.ErrUnknownTable, which every
	// *cassa.UnknownTableError matches, whichever layer found it missing.
	ErrColumnFamilyNotFound = cassa.ErrUnknownTable
	// ErrColumnNotFound is returned by DropIndex when the column has no
	// metadata.
	ErrColumnNotFound = errors.New("migrate: column not found")
	// ErrNoAgreement matches every *AgreementError.
	ErrNoAgreement = errors.New("migrate: no schema agreement")
	// ErrDestructive matches every *DestructiveError.
	ErrDestructive = errors.New("migrate: destructive steps not allowed")
	// ErrRefused matches every *RefusedError.
	ErrRefused = errors.New("migrate: plan holds changes Cassandra refuses")
	// ErrChecksumMismatch matches every *ChecksumError.
	ErrChecksumMismatch = errors.New("migrate: checksum mismatch")
	// ErrLockLost is returned by Migrator.Up when the runner lost its lock
	// while a step ran (it could not renew it before it expired).
	ErrLockLost = errors.New("migrate: migration lock lost")
	// ErrInvalidSpec matches every *SpecError.
	ErrInvalidSpec = errors.New("migrate: invalid schema spec")
	// ErrBadType matches every *TypeError.
	ErrBadType = errors.New("migrate: bad type")
)

// AgreementError reports that the cluster's nodes did not agree on one
// schema version before the context ended. Versions maps each schema version
// to the nodes reporting it, as describe_schema_versions does; unreachable
// nodes are left out.
type AgreementError struct {
	Versions map[string][]string
	// Unreachable are the nodes describe_schema_versions listed as
	// UNREACHABLE; they do not count against agreement.
	Unreachable []string
	// Err is the context's error, or the last error of
	// describe_schema_versions.
	Err error
}

// Error lists each schema version with its nodes, then the unreachable
// nodes and the cause.
func (e *AgreementError) Error() string {
	if e == nil {
		return "<nil>"
	}
	vs := make([]string, 0, len(e.Versions))
	for v := range e.Versions {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		parts = append(parts, fmt.Sprintf("%s on [%s]", v, strings.Join(e.Versions[v], " ")))
	}
	s := "migrate: no schema agreement: " + strings.Join(parts, "; ")
	if len(e.Unreachable) > 0 {
		s += fmt.Sprintf(" (unreachable: %s)", strings.Join(e.Unreachable, " "))
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the context's error.
func (e *AgreementError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is ErrNoAgreement.
func (e *AgreementError) Is(target error) bool { return target == ErrNoAgreement }

// TypeError reports a comparator or validator given as something that is
// neither a codec.Type nor a class name Cassandra knows.
type TypeError struct {
	Field string // e.g. "comparator"
	Value any
	Err   error // the codec.ParseError, when a name did not parse
}

// Error names the field and the value given, and why it is not a type.
func (e *TypeError) Error() string {
	if e == nil {
		return "<nil>"
	}
	s := fmt.Sprintf("migrate: bad type for %s: %#v", e.Field, e.Value)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	} else {
		s += ": want a codec.Type or a class name"
	}
	return s
}

// Unwrap returns the parse error, if any.
func (e *TypeError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is ErrBadType.
func (e *TypeError) Is(target error) bool { return target == ErrBadType }

// SpecError reports a desired schema that cannot be planned: a missing
// name, a duplicate table or column, a type that does not parse. Path says
// where, e.g. "tables[2].columns[0].validator".
type SpecError struct {
	Path string
	Msg  string
	Err  error
}

// Error names where in the spec the problem is, and what it is.
func (e *SpecError) Error() string {
	if e == nil {
		return "<nil>"
	}
	s := "migrate: invalid schema"
	if e.Path != "" {
		s += " at " + e.Path
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error, if any.
func (e *SpecError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is ErrInvalidSpec.
func (e *SpecError) Is(target error) bool { return target == ErrInvalidSpec }

// DestructiveError is returned by Plan.Apply, before anything is sent, when
// the plan holds destructive steps (drop column family, drop index, drop
// column metadata) and AllowDestructive was not given.
type DestructiveError struct {
	Steps []Step
}

// Error lists the destructive steps.
func (e *DestructiveError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return "migrate: refusing destructive steps without AllowDestructive: " + listSteps(e.Steps)
}

// Is reports whether target is ErrDestructive.
func (e *DestructiveError) Is(target error) bool { return target == ErrDestructive }

// RefusedError is returned by Plan.Apply, before anything is sent, when the
// plan holds changes Cassandra would refuse (a comparator change that is not
// compatible, Standard to Super, an incompatible key validator, ...).
type RefusedError struct {
	Steps []Step
}

// Error lists the steps Cassandra would refuse.
func (e *RefusedError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return "migrate: changes Cassandra refuses: " + listSteps(e.Steps)
}

// Is reports whether target is ErrRefused.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

func listSteps(steps []Step) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.String()
	}
	return strings.Join(parts, "; ")
}

// StepError reports the step of a plan that failed while being applied.
// Steps before it were applied; none after it were sent. Err is the
// server's answer, e.g. a *cassa.InvalidRequestError.
type StepError struct {
	Index int // 0-based position in Plan.Steps
	Step  Step
	Err   error
}

// Error names the failed step (1-based) and the server's answer.
func (e *StepError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("migrate: step %d (%s): %v", e.Index+1, e.Step.String(), e.Err)
}

// Unwrap returns the step's error.
func (e *StepError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// ChecksumError reports an applied migration whose checksum changed since it
// was applied: its definition was edited. Up refuses to run.
type ChecksumError struct {
	ID       string
	Recorded string
	Current  string
}

// Error names the migration and both checksums.
func (e *ChecksumError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("migrate: migration %q was changed after it was applied (recorded checksum %s, now %s)", e.ID, e.Recorded, e.Current)
}

// Is reports whether target is ErrChecksumMismatch.
func (e *ChecksumError) Is(target error) bool { return target == ErrChecksumMismatch }

// MigrationError reports the versioned migration that failed. It was not
// recorded as applied; the next Up retries it.
type MigrationError struct {
	ID  string
	Err error
}

// Error names the migration and its error.
func (e *MigrationError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("migrate: migration %q failed: %v", e.ID, e.Err)
}

// Unwrap returns the migration's error.
func (e *MigrationError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}
