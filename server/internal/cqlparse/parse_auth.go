package cqlparse

import "strings"

// roleName parses a role name: IDENT (folded), 'string', "quoted", an
// unreserved keyword (folded); a bind marker is refused.
func (p *parser) roleName() RoleName {
	t := p.lt(1)
	switch k := t.kind; {
	case k == tSTRING:
		p.consume()
		return RoleName{Name: p.text(t), IsString: true}
	case k == tQUOTED_NAME:
		p.consume()
		return RoleName{Name: p.text(t), Quoted: true}
	case k == tQMARK:
		p.consume()
		p.failAction("Bind variables cannot be used for role names")
	case k.isIdent():
		p.consume()
		return RoleName{Name: lowerASCII(p.text(t))}
	}
	p.noViable(1)
	return RoleName{}
}

// username parses the name of the USER statements: IDENT or 'string', kept
// as written; a quoted name is refused.
func (p *parser) username() RoleName {
	t := p.lt(1)
	switch t.kind {
	case tIDENT:
		p.consume()
		return RoleName{Name: p.text(t)}
	case tSTRING:
		p.consume()
		return RoleName{Name: p.text(t), IsString: true}
	case tQUOTED_NAME:
		p.consume()
		p.failAction("Quoted strings are are not supported for user names and USER is deprecated, please use ROLE")
	}
	p.noViable(1)
	return RoleName{}
}

// userOptions parses [WITH PASSWORD 'p'] [SUPERUSER|NOSUPERUSER].
func (p *parser) userOptions() (*string, *bool) {
	var pw *string
	var su *bool
	if p.la(1) == kWITH {
		p.consume()
		p.match(kPASSWORD)
		s := p.text(p.match(tSTRING))
		pw = &s
	}
	switch p.la(1) {
	case kSUPERUSER, kNOSUPERUSER:
		b := p.consume().kind == kSUPERUSER
		su = &b
	}
	return pw, su
}

func (p *parser) createUser() *CreateUserStmt {
	p.match(kCREATE)
	p.match(kUSER)
	s := &CreateUserStmt{IfNotExists: p.ifNotExists(), User: p.username()}
	s.Password, s.Superuser = p.userOptions()
	return s
}

func (p *parser) alterUser() *AlterUserStmt {
	p.match(kALTER)
	p.match(kUSER)
	s := &AlterUserStmt{User: p.username()}
	s.Password, s.Superuser = p.userOptions()
	return s
}

func (p *parser) createRole() *CreateRoleStmt {
	p.match(kCREATE)
	p.match(kROLE)
	s := &CreateRoleStmt{IfNotExists: p.ifNotExists(), Role: p.roleName()}
	if p.la(1) == kWITH {
		p.consume()
		s.Options = p.roleOptions()
	}
	return s
}

func (p *parser) alterRole() *AlterRoleStmt {
	p.match(kALTER)
	p.match(kROLE)
	s := &AlterRoleStmt{Role: p.roleName()}
	if p.la(1) == kWITH {
		p.consume()
		s.Options = p.roleOptions()
	}
	return s
}

var roleOptionNames = [...]string{RolePassword: "PASSWORD", RoleOptions: "OPTIONS", RoleSuperuser: "SUPERUSER", RoleLogin: "LOGIN"}

// roleOptions parses option (AND option)*; an option given twice is
// refused as RoleOptions.setOption refuses it.
func (p *parser) roleOptions() []RoleOption {
	var opts []RoleOption
	for {
		var o RoleOption
		switch p.la(1) {
		case kPASSWORD:
			p.consume()
			p.match(tEQ)
			o = RoleOption{Kind: RolePassword, Password: p.text(p.match(tSTRING))}
		case kOPTIONS:
			p.consume()
			p.match(tEQ)
			o = RoleOption{Kind: RoleOptions, Options: p.propertyMap()}
		case kSUPERUSER, kLOGIN:
			kind := RoleSuperuser
			if p.consume().kind == kLOGIN {
				kind = RoleLogin
			}
			p.match(tEQ)
			b := p.text(p.match(tBOOLEAN))
			o = RoleOption{Kind: kind, Value: strings.EqualFold(b, "true"), Text: b}
		default:
			p.noViable(1)
		}
		for _, q := range opts {
			if q.Kind == o.Kind {
				p.failAction("Multiple definition for property '" + roleOptionNames[o.Kind] + "'")
			}
		}
		opts = append(opts, o)
		if p.la(1) != kAND {
			return opts
		}
		p.consume()
	}
}

// grantOrRevoke parses GRANT/REVOKE of permissions or of a role.
func (p *parser) grantOrRevoke() Statement {
	grant := p.la(1) == kGRANT
	perms := false
	switch k := p.la(2); {
	case k == kALL:
		switch p.la(3) {
		case kON, kPERMISSIONS:
			perms = true
		case kTO, kFROM:
			if (p.la(3) == kTO) != grant {
				p.noViable(3)
			}
		default:
			p.noViable(3)
		}
	case k.is(clsPermission):
		perms = true
	case k.isIdent() || k == tSTRING || k == tQMARK:
	default:
		p.noViable(2)
	}
	p.consume()
	if !perms {
		role := p.roleName()
		if grant {
			p.match(kTO)
			return &GrantRoleStmt{Role: role, Grantee: p.roleName()}
		}
		p.match(kFROM)
		return &RevokeRoleStmt{Role: role, Revokee: p.roleName()}
	}
	s := &PermissionsStmt{Kind: RevokePermissions}
	if grant {
		s.Kind = GrantPermissions
	}
	s.All, s.Permissions = p.permissionOrAll()
	p.match(kON)
	s.Resource = p.resource()
	if grant {
		p.match(kTO)
	} else {
		p.match(kFROM)
	}
	r := p.roleName()
	s.Role = &r
	if !s.All && len(applicable(s.Permissions, s.Resource)) == 0 {
		p.failAction("Resource type " + resourceClass(s.Resource) + " does not support any of the requested permissions")
	}
	return s
}

// listStatement parses LIST USERS, LIST ROLES ... and LIST permissions ....
func (p *parser) listStatement() Statement {
	switch k := p.la(2); {
	case k == kUSERS:
		p.consume()
		p.consume()
		return &ListUsersStmt{}
	case k == kROLES:
		p.consume()
		p.consume()
		s := &ListRolesStmt{}
		if p.la(1) == kOF {
			p.consume()
			r := p.roleName()
			s.Of = &r
		}
		if p.la(1) == kNORECURSIVE {
			p.consume()
			s.NoRecursive = true
		}
		return s
	case k == kALL || k.is(clsPermission):
	default:
		p.noViable(2)
	}
	p.consume()
	s := &PermissionsStmt{Kind: ListPermissions}
	s.All, s.Permissions = p.permissionOrAll()
	if p.la(1) == kON {
		p.consume()
		s.Resource = p.resource()
	}
	if p.la(1) == kOF {
		p.consume()
		r := p.roleName()
		s.Role = &r
	}
	if p.la(1) == kNORECURSIVE {
		p.consume()
		s.NoRecursive = true
	}
	return s
}

// permissionOrAll parses ALL [PERMISSIONS] | permission [PERMISSION].
func (p *parser) permissionOrAll() (bool, []Permission) {
	switch k := p.la(1); {
	case k == kALL:
		p.consume()
		if p.la(1) == kPERMISSIONS {
			p.consume()
		}
		return true, nil
	case k.is(clsPermission):
		perm := Permission(keywordNames[p.consume().kind-kFirst])
		if p.la(1) == kPERMISSION {
			p.consume()
		}
		return false, []Permission{perm}
	}
	p.noViable(1)
	return false, nil
}

// resourceFollow is what may follow a resource (and a bare ALL, ROLE or
// FUNCTION table name).
func resourceFollow(k tokKind) bool {
	switch k {
	case tEOF, kFROM, kNORECURSIVE, kOF, kTO, tDOT, tSEMI:
		return true
	}
	return false
}

func (p *parser) resource() *Resource {
	switch k := p.la(1); {
	case k == kALL:
		switch k2 := p.la(2); {
		case k2 == kROLES:
			p.consume()
			p.consume()
			return &Resource{Kind: ResAllRoles}
		case k2 == kFUNCTIONS:
			p.consume()
			p.consume()
			switch k3 := p.la(1); {
			case k3 == kIN:
				p.consume()
				p.match(kKEYSPACE)
				return &Resource{Kind: ResAllFunctionsInKeyspace, Keyspace: p.keyspaceName()}
			case k3 == tDOT || !resourceFollow(k3):
				p.noViable(1)
			}
			return &Resource{Kind: ResAllFunctions}
		case k2 == kMBEANS:
			p.consume()
			p.consume()
			return &Resource{Kind: ResAllMBeans}
		case k2 == kKEYSPACES:
			p.consume()
			p.consume()
			return &Resource{Kind: ResAllKeyspaces}
		case resourceFollow(k2):
			return p.tableResource()
		}
		p.noViable(2)
	case k == kKEYSPACE:
		p.consume()
		return &Resource{Kind: ResKeyspace, Keyspace: p.keyspaceName()}
	case k == kROLE:
		switch k2 := p.la(2); {
		case resourceFollow(k2):
			return p.tableResource()
		case k2.isIdent() || k2 == tSTRING || k2 == tQMARK:
			p.consume()
			return &Resource{Kind: ResRole, Role: p.roleName()}
		}
		p.noViable(2)
	case k == kFUNCTION:
		switch k2 := p.la(2); {
		case resourceFollow(k2):
			return p.tableResource()
		case k2.isKsName() || k2.isFuncName():
			p.consume()
			fn := p.functionName()
			r := &Resource{Kind: ResFunction, Keyspace: fn.Keyspace, Name: fn.Name}
			p.match(tLPAREN)
			r.ArgTypes = p.typeList()
			p.match(tRPAREN)
			return r
		}
		p.noViable(2)
	case k == kMBEAN || k == kMBEANS:
		p.consume()
		name := p.text(p.match(tSTRING))
		if err := checkMBeanName(name, k == kMBEANS); err != "" {
			p.failAction(err)
		}
		kind := ResMBean
		if k == kMBEANS {
			kind = ResMBeans
		}
		return &Resource{Kind: kind, MBean: name}
	case k.isKsName() || k == kCOLUMNFAMILY:
		return p.tableResource()
	}
	p.noViable(1)
	return nil
}

// tableResource parses [TABLE] [ks.]table.
func (p *parser) tableResource() *Resource {
	if p.la(1) == kCOLUMNFAMILY {
		p.consume()
	}
	n := p.columnFamilyName()
	return &Resource{Kind: ResTable, Keyspace: n.Keyspace, Name: n.Name}
}

// checkMBeanName makes the checks of Parser.g's canonicalizeObjectName. The
// JMX object name syntax is checked only roughly (domain:key=value,...);
// names are kept as written, not canonicalized.
func checkMBeanName(s string, plural bool) string {
	if s == "" {
		return "Empty JMX object name supplied"
	}
	if s == "*:*" {
		return "Please use ALL MBEANS instead of wildcard pattern"
	}
	i := strings.IndexByte(s, ':')
	if i < 0 || i == len(s)-1 || strings.ContainsAny(s[:i], "\n") {
		return s + " is not a valid JMX object name"
	}
	for _, kv := range strings.Split(s[i+1:], ",") {
		if kv == "*" {
			continue
		}
		eq := strings.IndexByte(kv, '=')
		if eq <= 0 || eq == len(kv)-1 {
			return s + " is not a valid JMX object name"
		}
	}
	if plural && !strings.ContainsAny(s, "*?") {
		return "Plural form used, but non-pattern JMX object name specified (" + s + ")"
	}
	return ""
}

// ApplicablePermissions returns the permissions Cassandra 3.11 can grant on
// a resource (IResource.applicablePermissions); GRANT and REVOKE keep only
// these of the permissions they name.
func ApplicablePermissions(r *Resource) []Permission {
	switch r.Kind {
	case ResAllKeyspaces, ResKeyspace:
		return []Permission{PermCreate, PermAlter, PermDrop, PermSelect, PermModify, PermAuthorize}
	case ResTable:
		return []Permission{PermAlter, PermDrop, PermSelect, PermModify, PermAuthorize}
	case ResAllRoles:
		return []Permission{PermCreate, PermAlter, PermDrop, PermAuthorize, PermDescribe}
	case ResRole:
		return []Permission{PermAlter, PermDrop, PermAuthorize}
	case ResAllFunctions, ResAllFunctionsInKeyspace:
		return []Permission{PermCreate, PermAlter, PermDrop, PermAuthorize, PermExecute}
	case ResFunction:
		return []Permission{PermAlter, PermDrop, PermAuthorize, PermExecute}
	case ResAllMBeans, ResMBean, ResMBeans:
		return []Permission{PermAuthorize, PermDescribe, PermExecute, PermModify, PermSelect}
	}
	return nil
}

func applicable(perms []Permission, r *Resource) []Permission {
	var out []Permission
	for _, a := range ApplicablePermissions(r) {
		for _, q := range perms {
			if a == q {
				out = append(out, a)
			}
		}
	}
	return out
}

func resourceClass(r *Resource) string {
	switch r.Kind {
	case ResAllRoles, ResRole:
		return "RoleResource"
	case ResAllFunctions, ResAllFunctionsInKeyspace, ResFunction:
		return "FunctionResource"
	case ResAllMBeans, ResMBean, ResMBeans:
		return "JMXResource"
	}
	return "DataResource"
}
