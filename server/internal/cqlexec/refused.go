package cqlexec

import (
	"fmt"
	"strings"

	"github.com/datastax/go-cassandra-native-protocol/message"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// The statements a 3.11 node answers only with an error in the setup this
// server reproduces: user-defined functions and aggregates disabled
// (enable_user_defined_functions: false, 3.11's default), materialized
// views disabled, no trigger classes on the class path, and roles and
// permissions that an anonymous user may not manage (AllowAllAuthenticator,
// AllowAllAuthorizer). Each answers with the error 3.11 raises first, in
// its order of checks (prepareKeyspace, prepare, checkAccess, validate,
// announceMigration).

// isRefused reports the statements refused here.
func isRefused(st cqlparse.Statement) bool {
	switch st.(type) {
	case *cqlparse.CreateFunctionStmt, *cqlparse.DropFunctionStmt, *cqlparse.CreateAggregateStmt,
		*cqlparse.CreateViewStmt, *cqlparse.AlterViewStmt, *cqlparse.DropViewStmt,
		*cqlparse.CreateTriggerStmt, *cqlparse.DropTriggerStmt,
		*cqlparse.CreateRoleStmt, *cqlparse.AlterRoleStmt, *cqlparse.DropRoleStmt, *cqlparse.ListRolesStmt,
		*cqlparse.GrantRoleStmt, *cqlparse.RevokeRoleStmt, *cqlparse.CreateUserStmt, *cqlparse.AlterUserStmt,
		*cqlparse.DropUserStmt, *cqlparse.ListUsersStmt, *cqlparse.PermissionsStmt:
		return true
	}
	return false
}

const (
	msgUDFDisabled = "User-defined functions are disabled in cassandra.yaml - set enable_user_defined_functions=true to enable"
	msgMVDisabled  = "Materialized views are disabled. Enable in cassandra.yaml to use."
	msgNotLoggedIn = "You have to be logged in and not anonymous to perform this request"
	msgFunctionKS  = "Functions must be fully qualified with a keyspace name if a keyspace is not set for the session"
)

// functionKeyspace is the prepareKeyspace of the function statements:
// the name's keyspace or the session's, never a local system keyspace
// (ThriftValidation.validateKeyspaceNotSystem).
func functionKeyspace(n cqlparse.QualifiedName, session string) (string, error) {
	ks := n.Keyspace.Name
	if ks == "" {
		ks = session
	}
	if ks == "" {
		return "", invalidf(msgFunctionKS)
	}
	if l := strings.ToLower(ks); l == "system" || l == "system_schema" {
		return "", invalidf("%s keyspace is not user-modifiable", ks)
	}
	return ks, nil
}

// checkNotFrozen is the functions' prepareType check.
func checkNotFrozen(what string, t *cqlparse.CQLType) error {
	if t != nil && t.Kind == cqlparse.TypeFrozen {
		return invalidf("The function %s should not be frozen; remove the frozen<> modifier", what)
	}
	return nil
}

func typeList(ts []*cqlparse.CQLType, sep string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = cqlparse.FormatType(t)
	}
	return strings.Join(parts, sep)
}

// refuse answers a refused statement; user is the session's login
// (AnonymousUser without authentication).
func (e *Executor) refuse(st cqlparse.Statement, session, user string) (message.Message, error) {
	cat := e.node.Catalog()
	switch s := st.(type) {
	case *cqlparse.CreateFunctionStmt: // CreateFunctionStatement
		ks, err := functionKeyspace(s.Function, session)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		var argNames []string
		for _, a := range s.Args {
			argNames = append(argNames, a.Name.Name)
			if seen[a.Name.Name] {
				return nil, invalidf("duplicate argument names for given function %s.%s with argument names [%s]",
					ks, s.Function.Name.Name, strings.Join(argNames, ", "))
			}
			seen[a.Name.Name] = true
		}
		for _, a := range s.Args {
			if err := checkNotFrozen("arguments", a.Type); err != nil {
				return nil, err
			}
		}
		if err := checkNotFrozen("return type", s.ReturnType); err != nil {
			return nil, err
		}
		return nil, invalidf(msgUDFDisabled)
	case *cqlparse.CreateAggregateStmt: // CreateAggregateStatement
		ks, err := functionKeyspace(s.Aggregate, session)
		if err != nil {
			return nil, err
		}
		for _, t := range s.ArgTypes {
			if err := checkNotFrozen("arguments", t); err != nil {
				return nil, err
			}
		}
		if err := checkNotFrozen("state type", s.StateType); err != nil {
			return nil, err
		}
		sig := cqlparse.FormatType(s.StateType)
		if len(s.ArgTypes) > 0 {
			sig += ", " + typeList(s.ArgTypes, ", ")
		}
		// No user function exists, so no state function can be found.
		return nil, invalidf("State function %s.%s(%s) does not exist or is not a scalar function", ks, s.StateFunc.Name, sig)
	case *cqlparse.DropFunctionStmt:
		ks, err := functionKeyspace(s.Function, session)
		if err != nil {
			return nil, err
		}
		if s.IfExists {
			return &message.VoidResult{}, nil
		}
		if s.Aggregate { // DropAggregateStatement
			if s.HasArgs {
				return nil, invalidf("Cannot drop non existing aggregate '%s.%s(%s)'", ks, s.Function.Name.Name, typeList(s.ArgTypes, ", "))
			}
			return nil, invalidf("Cannot drop non existing aggregate '%s.%s'", ks, s.Function.Name.Name)
		}
		// DropFunctionStatement.checkAccess.
		return nil, invalidf("Unconfigured function %s.%s(%s)", ks, s.Function.Name.Name, typeList(s.ArgTypes, ","))
	case *cqlparse.CreateViewStmt: // CreateViewStatement
		ks, err := qualify(s.View, session)
		if err != nil {
			return nil, err
		}
		baseKS := s.Base.Keyspace.Name
		if baseKS == "" {
			baseKS = ks
		}
		if _, err := cat.Lookup(baseKS, s.Base.Name.Name); err != nil {
			return nil, err
		}
		if err := preventSystemModification(baseKS); err != nil {
			return nil, err
		}
		return nil, invalidf(msgMVDisabled)
	case *cqlparse.AlterViewStmt: // AlterViewStatement: no view exists
		ks, err := qualify(s.View, session)
		if err != nil {
			return nil, err
		}
		if _, err := cat.Lookup(ks, s.View.Name.Name); err != nil {
			return nil, err
		}
		return nil, invalidf("Cannot use ALTER MATERIALIZED VIEW on Table")
	case *cqlparse.DropViewStmt: // DropViewStatement
		ks, err := qualify(s.View, session)
		if err != nil {
			return nil, err
		}
		if s.IfExists {
			return &message.VoidResult{}, nil
		}
		return nil, configf("Cannot drop non existing materialized view '%s' in keyspace '%s'.", s.View.Name.Name, ks)
	case *cqlparse.CreateTriggerStmt: // CreateTriggerStatement
		ks, err := qualify(s.Table, session)
		if err != nil {
			return nil, err
		}
		if _, err := cat.Lookup(ks, s.Table.Name.Name); err != nil {
			return nil, err
		}
		return nil, configf("Trigger class '%s' doesn't exist", s.Class)
	case *cqlparse.DropTriggerStmt: // DropTriggerStatement
		ks, err := qualify(s.Table, session)
		if err != nil {
			return nil, err
		}
		t, err := cat.Lookup(ks, s.Table.Name.Name)
		if err != nil {
			return nil, err
		}
		for _, tr := range t.Triggers {
			if tr.Name == s.Name.Name {
				return nil, invalidf("Trigger %s cannot be dropped by this server", s.Name.Name)
			}
		}
		if s.IfExists {
			return &message.VoidResult{}, nil
		}
		return nil, invalidf("Trigger %s was not found", s.Name.Name)
	}
	return nil, refuseAuth(st, user)
}

// refuseAuth answers role and permission statements. An anonymous user
// may manage neither (ClientState.ensureNotAnonymous, in each statement's
// validate, after its checkAccess); a logged-in user is told that the
// server's users come from its configuration (a deviation: 3.11 keeps
// roles in system_auth).
func refuseAuth(st cqlparse.Statement, user string) error {
	if user == "" || user == AnonymousUser {
		switch s := st.(type) {
		case *cqlparse.CreateRoleStmt:
			for _, o := range s.Options {
				if o.Kind == cqlparse.RoleSuperuser && o.Value {
					return unauthorizedf("Only superusers can create a role with superuser status")
				}
			}
		case *cqlparse.CreateUserStmt:
			if s.Superuser != nil && *s.Superuser {
				return unauthorizedf("Only superusers can create a role with superuser status")
			}
		}
		return unauthorizedf(msgNotLoggedIn)
	}
	return invalidf("%s is not supported: this server's users come from its configured authenticator", statementName(st))
}

// AnonymousUser is the session user without authentication
// (AuthenticatedUser.ANONYMOUS_USERNAME).
const AnonymousUser = "anonymous"

// statementName names a role or permission statement for messages.
func statementName(st cqlparse.Statement) string {
	switch s := st.(type) {
	case *cqlparse.CreateRoleStmt:
		return "CREATE ROLE"
	case *cqlparse.AlterRoleStmt:
		return "ALTER ROLE"
	case *cqlparse.DropRoleStmt:
		return "DROP ROLE"
	case *cqlparse.ListRolesStmt:
		return "LIST ROLES"
	case *cqlparse.GrantRoleStmt:
		return "GRANT"
	case *cqlparse.RevokeRoleStmt:
		return "REVOKE"
	case *cqlparse.CreateUserStmt:
		return "CREATE USER"
	case *cqlparse.AlterUserStmt:
		return "ALTER USER"
	case *cqlparse.DropUserStmt:
		return "DROP USER"
	case *cqlparse.ListUsersStmt:
		return "LIST USERS"
	case *cqlparse.PermissionsStmt:
		switch s.Kind {
		case cqlparse.GrantPermissions:
			return "GRANT"
		case cqlparse.RevokePermissions:
			return "REVOKE"
		}
		return "LIST PERMISSIONS"
	}
	return fmt.Sprintf("%T", st)
}

// preventSystemModification is ClientState.preventSystemKSSchemaModification
// for an ALTER of a table in ks.
func preventSystemModification(ks string) error {
	if l := strings.ToLower(ks); l == "system" || l == "system_schema" {
		return unauthorizedf("%s keyspace is not user-modifiable.", ks)
	}
	return nil
}
