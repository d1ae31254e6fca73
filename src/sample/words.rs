//! Word lists for synthetic data. Names are common US names and invented place words: nothing
//! here describes a real person or practice.

pub const PLACES: &[&str] = &[
    "Riverside", "Lakeview", "Oak Hill", "Maple Grove", "Cedar Ridge", "Pine Valley", "Summit", "Harbor",
    "Northside", "Southside", "Hillcrest", "Brookside", "Fairview", "Greenfield", "Springfield", "Madison",
    "Lincoln", "Jefferson", "Franklin", "Mountain View", "Bayview", "Parkside", "Meadowbrook", "Willow Creek",
    "Stonebridge", "Clearwater", "Highland", "Prairie", "Silver Lake", "Red Oak", "Sunrise", "Golden Valley",
    "Heritage", "Unity", "Mercy", "Saint Mary", "Saint Luke", "Saint Joseph", "Good Samaritan", "Providence",
    "Trinity", "Bethany", "Liberty", "Pioneer", "Frontier", "Canyon", "Blue Ridge", "Twin Rivers",
    "Three Rivers", "Kingston", "Easton", "Weston", "Norwood", "Elmwood", "Ashland", "Ridgewood", "Glenwood",
    "Lakeside", "Cloverdale", "Rosewood", "Briarwood", "Foxborough", "Harmony", "Crossroads", "Evergreen",
    "Magnolia", "Sycamore", "Aspen", "Birchwood", "Chestnut Hill", "Dogwood", "Hawthorne", "Ironwood",
    "Juniper", "Kensington", "Larkspur", "Marigold", "Newport", "Orchard", "Pebble Creek", "Quail Run",
    "Redwood", "Sandstone", "Timberline", "Union", "Vista", "Westfield", "Yorktown", "Zion", "Alder",
    "Beacon", "Copper Hill", "Deer Park", "Eagle Point", "Fox Run", "Granite", "Holly Springs", "Indian Creek",
];

/// Kinds of practice: (full form, abbreviated forms an assessor might type).
pub const KINDS: &[(&str, &[&str])] = &[
    ("Family Medicine", &["Fam Med", "FM", "Family Med"]),
    ("Internal Medicine", &["Int Med", "IM", "Internal Med"]),
    ("Primary Care", &["Prim Care", "PC"]),
    ("Family Practice", &["Fam Practice", "FP"]),
    ("Medical Group", &["Med Group", "Med Grp"]),
    ("Community Health Center", &["CHC", "Comm Health Ctr"]),
    ("Health Center", &["Health Ctr", "HC"]),
    ("Medical Associates", &["Med Assoc", "Medical Assoc"]),
    ("Family Health", &["Fam Health"]),
    ("Geriatric Associates", &["Geriatric Assoc", "Geri Assoc"]),
    ("Medical Center", &["Med Ctr", "Medical Ctr"]),
    ("Primary Care Physicians", &["Primary Care Phys", "PCP"]),
    ("Internal Medicine Associates", &["Int Med Assoc", "IM Assoc"]),
    ("Family Medicine Clinic", &["Fam Med Clinic", "FM Clinic"]),
];

pub const SUFFIXES: &[&str] = &["", "", "", " LLC", " PC", " PLLC", " Inc.", " P.A.", ", LLC", ", PC"];

pub const SITES: &[&str] = &["North", "South", "East", "West", "Downtown", "Main Street"];

pub const COUNTIES: &[&str] = &[
    "Adams", "Benton", "Clark", "Douglas", "Fulton", "Grant", "Hamilton", "Jackson", "Marion", "Pike",
    "Warren", "Wayne",
];

pub const CITIES: &[&str] = &[
    "Millbrook", "Fairhaven", "Centerville", "Oakdale", "Riverton", "Brookfield", "Maplewood", "Georgetown",
    "Salem", "Clinton", "Dover", "Auburn",
];

pub const FIRST_NAMES: &[&str] = &[
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Ashley",
    "Priya", "Raj", "Wei", "Mei", "Minh", "Linh", "Jose", "Maria", "Ahmed", "Fatima", "Kwame", "Ama",
    "Olga", "Ivan", "Hiroshi", "Yuki", "Carlos", "Lucia", "Omar", "Leila",
];

/// Surnames: the first few are very common so that "Dr. Patel" is often ambiguous, as in life.
pub const LAST_NAMES: &[&str] = &[
    "Patel", "Smith", "Nguyen", "Lee", "Kim", "Garcia", "Johnson", "Williams", "Brown", "Jones", "Miller",
    "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Okafor", "Adeyemi", "Mensah", "Kowalski", "Novak", "Horvath", "Petrov", "Ivanova", "Tanaka", "Sato",
    "Suzuki", "Chen", "Wang", "Liu", "Zhang", "Huang", "Singh", "Kumar", "Shah", "Mehta", "Reddy", "Rao",
    "Haddad", "Khoury", "Nasser", "Cohen", "Levy", "Friedman", "Schwartz", "Weber", "Fischer", "Schneider",
    "Becker", "Hoffman", "Lindqvist", "Johansson", "Larsen", "Hansen", "Olsen", "Murphy", "Kelly",
    "O'Brien", "Sullivan", "Walsh", "Byrne", "Ryan", "Gallagher", "Doherty", "Kennedy", "Lynch", "Quinn",
    "Fitzgerald", "Castillo", "Morales", "Ortiz", "Gutierrez", "Chavez", "Ramos", "Ruiz", "Alvarez",
    "Mendoza", "Vasquez", "Castro", "Jimenez", "Moreno", "Romero", "Herrera", "Medina", "Aguilar", "Vargas",
];

/// PCP taxonomies drawn for primary-care clinicians (all in SPEC's list).
pub const PCP_TAXONOMIES: &[&str] = &["207Q00000X", "207R00000X", "363LF0000X", "363LP2300X", "363A00000X", "207QG0300X", "208D00000X"];

/// Specialist taxonomies (not PCP): cardiology, orthopedics, psychiatry, endocrinology, gastro, ophthalmology.
pub const SPECIALIST_TAXONOMIES: &[&str] = &["207RC0000X", "207X00000X", "2084P0800X", "207RE0101X", "207RG0100X", "207W00000X"];

/// Procedure codes that are not primary care (imaging, labs, ED, therapy).
pub const OTHER_CODES: &[&str] = &["71046", "80053", "93000", "36415", "85025", "97110", "99283", "90834", "99223", "G0283"];

pub const PC_CODES: &[&str] = &["99213", "99214", "99215", "99212", "99203", "99204", "99309", "99334", "99349", "G0439", "G0438", "G2211", "99490", "99496"];

pub const NON_ANSWERS: &[&str] = &[
    "don't know", "Don't know", "DK", "unknown", "none", "None", "N/A", "ER", "VA", "urgent care", "",
    "not sure", "No PCP", "refused", "emergency room", "UNK", "pt doesn't know", "Unknown - uses ER",
    "no regular doctor", "Not sure of name", "n/a", "NONE", "goes to urgent care", "Dont know",
];

pub const WAIVERS: &[&str] = &["Elderly & Disabled", "Physical Disability", "IDD", "Brain Injury", "Aged"];

pub const AGENCIES: &[&str] = &["Northstar Care Coordination", "Home First Services", "Community Links Agency", "Bridgeway Case Management"];

pub const MEDICARE_PLANS: &[&str] = &["Original Medicare", "Humana Dual Select D-SNP", "UHC Dual Complete", "Aetna Assure Premier", "Wellcare Dual Liberty", ""];
