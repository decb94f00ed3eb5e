//! Word lists the generator draws from.

pub const FIRST_NAMES: [&str; 48] = [
    "Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sophia", "Lucas", "Mia", "Ethan", "Amara",
    "Kenji", "Priya", "Diego", "Chloe", "Omar", "Ingrid", "Ravi", "Zoe", "Felix", "Hana", "Jonas",
    "Leila", "Marcus", "Nadia", "Oscar", "Paula", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera",
    "Wei", "Ximena", "Yusuf", "Zara", "Aiden", "Bianca", "Carlos", "Dana", "Elena", "Farah",
    "Gabriel", "Helga", "Isaac", "Julia", "Kofi",
];

pub const LAST_NAMES: [&str; 48] = [
    "Smith",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Tanaka",
    "Patel",
    "Schmidt",
    "Rossi",
    "Johansson",
    "Dubois",
    "Silva",
    "Kim",
    "Murphy",
    "Haddad",
    "Novak",
    "Fischer",
    "Moreau",
    "Costa",
    "Ivanova",
    "Larsen",
    "Mendes",
    "Yamamoto",
    "Clarke",
    "Bauer",
    "Reyes",
    "Sato",
    "Lindqvist",
    "Adeyemi",
    "Brennan",
    "Castro",
    "Dimitrov",
    "Eriksen",
    "Ferreira",
    "Gupta",
    "Horvat",
    "Ito",
    "Jensen",
    "Khan",
    "Lopez",
    "Mwangi",
    "Nilsen",
    "Oliveira",
    "Petrov",
    "Quinn",
    "Romero",
    "Suzuki",
    "Weber",
];

pub const DEPARTMENTS: [&str; 10] = [
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "People",
    "Support",
    "IT",
    "Legal",
    "Operations",
    "Product",
];

pub const JOB_TITLES: [&str; 10] = [
    "Software Engineer",
    "Account Executive",
    "Marketing Manager",
    "Financial Analyst",
    "People Partner",
    "Support Specialist",
    "Systems Administrator",
    "Counsel",
    "Operations Lead",
    "Product Manager",
];

pub const LOCATIONS: [&str; 6] = [
    "Denver",
    "London",
    "Berlin",
    "Bengaluru",
    "Remote",
    "Toronto",
];

/// (template key, display label, sso type)
pub const APP_TEMPLATES: [(&str, &str, &str); 8] = [
    ("aws-sso", "AWS IAM Identity Center", "saml"),
    ("slack", "Slack", "saml"),
    ("zoom", "Zoom", "saml"),
    ("github", "GitHub Enterprise Cloud", "saml"),
    ("salesforce", "Salesforce", "saml"),
    ("atlassian", "Atlassian Cloud", "saml"),
    ("custom-oidc-app", "Internal Wiki", "oidc"),
    ("bookmark", "Benefits Portal", "bookmark"),
];

pub const APP_COLORS: [&str; 6] = [
    "#202D38", "#005466", "#3E8696", "#006CAC", "#7C6ADA", "#58C469",
];

/// (template name, display name, osMetaFamily, policy name)
pub const POLICY_TEMPLATES: [(&str, &str, &str, &str); 6] = [
    (
        "encrypted_disk_darwin",
        "FileVault 2",
        "darwin",
        "Encrypt Mac disks",
    ),
    (
        "bitlocker_windows",
        "BitLocker Full Disk Encryption",
        "windows",
        "Encrypt Windows disks",
    ),
    (
        "lock_screen_linux",
        "Lock Screen",
        "linux",
        "Lock idle Linux screens",
    ),
    (
        "password_complexity_windows",
        "Password Complexity",
        "windows",
        "Windows password rules",
    ),
    (
        "application_firewall_darwin",
        "Application Firewall",
        "darwin",
        "Mac firewall on",
    ),
    (
        "os_updates_universal",
        "OS Update Reminder",
        "universal",
        "Keep OS updated",
    ),
];

/// Extra user-group names after the fixed first few.
pub const EXTRA_GROUP_NAMES: [&str; 8] = [
    "Marketing",
    "Finance",
    "People Team",
    "Customer Support",
    "IT Admins",
    "Legal",
    "Operations",
    "Product Managers",
];
