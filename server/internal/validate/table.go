package validate

import (
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// KeyspaceSource finds a keyspace by its exact, case-sensitive name and
// returns nil when there is none. *schema.Catalog satisfies it.
type KeyspaceSource interface {
	Keyspace(name string) *schema.Keyspace
}

// Messages of the checks every data method starts with: the session
// keyspace (ClientState.getKeyspace) and the table name
// (ThriftValidation.validateColumnFamily).
const (
	msgNoKeyspace = "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"
	msgEmptyTable = "non-empty table is required"
)

// RequireKeyspace is the session-keyspace check every data method starts
// with (ClientState.getKeyspace): the connection must have a keyspace
// (set_keyspace). An empty name means none was set.
func RequireKeyspace(session string) *thriftgen.InvalidRequestException {
	if session == "" {
		return Invalid(msgNoKeyspace)
	}
	return nil
}

// CheckTable is the table check every data method makes next
// (ThriftValidation.validateColumnFamily without the counter check): the
// keyspace named ksName must exist (ks non-nil), the column family name must be
// non-empty and name a table of ks.
func CheckTable(ks *schema.Keyspace, ksName, cf string) (*schema.Table, *thriftgen.InvalidRequestException) {
	if ks == nil {
		return nil, invalidf("Keyspace %s does not exist", ksName)
	}
	if cf == "" {
		return nil, Invalid(msgEmptyTable)
	}
	t := ks.Table(cf)
	if t == nil {
		return nil, invalidf("unconfigured table %s", cf)
	}
	return t, nil
}

// ResolveTable runs RequireKeyspace then CheckTable for a data method: the
// session keyspace must be set and exist, and cf must be one of its tables. src
// may be nil (no keyspace exists then).
func ResolveTable(src KeyspaceSource, session, cf string) (*schema.Keyspace, *schema.Table, *thriftgen.InvalidRequestException) {
	if ire := RequireKeyspace(session); ire != nil {
		return nil, nil, ire
	}
	var ks *schema.Keyspace
	if src != nil {
		ks = src.Keyspace(session)
	}
	t, ire := CheckTable(ks, session, cf)
	if ire != nil {
		return nil, nil, ire
	}
	return ks, t, nil
}

// CheckCounterness is the isCommutativeOp half of validateColumnFamily:
// counter operations (add, remove_counter) need a counter table, the other
// writes (insert, remove, cas) and get_indexed_slices need a normal one.
func CheckCounterness(t *schema.Table, counterOp bool) *thriftgen.InvalidRequestException {
	if counterOp && !t.Counter {
		return invalidf("invalid operation for non commutative table %s", t.Name)
	}
	if !counterOp && t.Counter {
		return invalidf("invalid operation for commutative table %s", t.Name)
	}
	return nil
}

// CheckSetKeyspace is set_keyspace's check under AllowAllAuthenticator
// (where a user is always set): the keyspace must exist. Note the quotes,
// which CheckTable's "Keyspace <ks> does not exist" lacks.
func CheckSetKeyspace(src KeyspaceSource, name string) *thriftgen.InvalidRequestException {
	if src == nil || src.Keyspace(name) == nil {
		return invalidf("Keyspace '%s' does not exist", name)
	}
	return nil
}
