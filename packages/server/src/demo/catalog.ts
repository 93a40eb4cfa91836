/**
 * Fixed data the simulated traffic draws from: a small outdoor-gear shop, its marketing
 * campaigns, the browsers and phones its visitors use and the companies its B2B buyers work
 * for. All hosts are `example.com` names and all addresses documentation ranges.
 */

export const SITE = 'https://shop.example.com'

export interface Product {
  product_id: string
  sku: string
  category: string
  name: string
  brand: string
  variant: string
  price: number
}

export const PRODUCTS: readonly Product[] = [
  {
    product_id: 'p-1001',
    sku: 'TNT-2P-GRN',
    category: 'Tents',
    name: 'Ridge 2P Tent',
    brand: 'Northfold',
    variant: 'green',
    price: 249,
  },
  {
    product_id: 'p-1002',
    sku: 'TNT-4P-SND',
    category: 'Tents',
    name: 'Basecamp 4P Tent',
    brand: 'Northfold',
    variant: 'sand',
    price: 429,
  },
  {
    product_id: 'p-2001',
    sku: 'BAG-20F-BLU',
    category: 'Sleeping Bags',
    name: 'Drift 20° Bag',
    brand: 'Loft & Co',
    variant: 'blue',
    price: 189.5,
  },
  {
    product_id: 'p-2002',
    sku: 'PAD-UL-ORG',
    category: 'Sleeping Bags',
    name: 'Ultralight Pad',
    brand: 'Loft & Co',
    variant: 'orange',
    price: 89.99,
  },
  {
    product_id: 'p-3001',
    sku: 'PCK-45L-BLK',
    category: 'Backpacks',
    name: 'Trailhead 45L Pack',
    brand: 'Cairn',
    variant: 'black',
    price: 159,
  },
  {
    product_id: 'p-3002',
    sku: 'PCK-22L-RED',
    category: 'Backpacks',
    name: 'Day Hiker 22L',
    brand: 'Cairn',
    variant: 'red',
    price: 74.95,
  },
  {
    product_id: 'p-4001',
    sku: 'STV-TI-001',
    category: 'Cooking',
    name: 'Titanium Stove',
    brand: 'Ember',
    variant: 'standard',
    price: 64,
  },
  {
    product_id: 'p-4002',
    sku: 'MUG-450-STL',
    category: 'Cooking',
    name: 'Camp Mug 450 ml',
    brand: 'Ember',
    variant: 'steel',
    price: 19.99,
  },
  {
    product_id: 'p-5001',
    sku: 'JKT-RAIN-M',
    category: 'Apparel',
    name: 'Storm Shell Jacket',
    brand: 'Fjellform',
    variant: 'M',
    price: 219,
  },
  {
    product_id: 'p-5002',
    sku: 'SOK-MRN-L',
    category: 'Apparel',
    name: 'Merino Hiking Socks',
    brand: 'Fjellform',
    variant: 'L',
    price: 22,
  },
  {
    product_id: 'p-6001',
    sku: 'LMP-300-USB',
    category: 'Lighting',
    name: 'Headlamp 300',
    brand: 'Lumen',
    variant: 'usb-c',
    price: 39.9,
  },
  {
    product_id: 'p-6002',
    sku: 'LTN-SOL-01',
    category: 'Lighting',
    name: 'Solar Lantern',
    brand: 'Lumen',
    variant: 'standard',
    price: 54.5,
  },
]

export const SEARCH_QUERIES = [
  'tent',
  'ultralight tent',
  'sleeping bag',
  'rain jacket',
  'headlamp',
  'backpack 45l',
  'camping stove',
  'merino socks',
  'lantern',
  'sleeping pad',
] as const

export const CONTENT_PAGES = [
  {
    path: '/',
    title: 'Northfold Outdoor — Gear for every trail',
    name: 'Home',
    category: undefined,
  },
  {
    path: '/blog/packing-list',
    title: 'The ultimate packing list',
    name: 'Packing List',
    category: 'Blog',
  },
  {
    path: '/blog/first-night-outdoors',
    title: 'Your first night outdoors',
    name: 'First Night',
    category: 'Blog',
  },
  { path: '/about', title: 'About us', name: 'About', category: undefined },
  { path: '/pricing', title: 'Northfold Pro — pricing', name: 'Pricing', category: undefined },
  { path: '/stores', title: 'Find a store', name: 'Stores', category: undefined },
] as const

export interface Campaign {
  name: string
  source: string
  medium: string
  term?: string
  content?: string
}

export const CAMPAIGNS: readonly Campaign[] = [
  { name: 'spring_sale', source: 'google', medium: 'cpc', term: 'camping gear' },
  { name: 'spring_sale', source: 'facebook', medium: 'paid_social', content: 'carousel_tents' },
  { name: 'newsletter_march', source: 'newsletter', medium: 'email', content: 'hero_button' },
  { name: 'trail_guides', source: 'instagram', medium: 'social' },
  { name: 'brand', source: 'bing', medium: 'cpc', term: 'northfold' },
]

export const REFERRERS = [
  '',
  '',
  'https://www.google.com/',
  'https://duckduckgo.com/',
  'https://www.reddit.com/r/CampingGear/',
  'https://news.ycombinator.com/',
  'https://t.co/',
] as const

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
] as const

export interface MobileDevice {
  manufacturer: string
  model: string
  name: string
  type: 'ios' | 'android'
  os: { name: string; version: string }
  screen: { width: number; height: number; density: number }
}

export const MOBILE_DEVICES: readonly MobileDevice[] = [
  {
    manufacturer: 'Apple',
    model: 'iPhone15,2',
    name: 'iPhone 14 Pro',
    type: 'ios',
    os: { name: 'iOS', version: '17.4.1' },
    screen: { width: 393, height: 852, density: 3 },
  },
  {
    manufacturer: 'Apple',
    model: 'iPhone16,1',
    name: 'iPhone 15 Pro',
    type: 'ios',
    os: { name: 'iOS', version: '17.5' },
    screen: { width: 393, height: 852, density: 3 },
  },
  {
    manufacturer: 'Google',
    model: 'Pixel 8',
    name: 'shiba',
    type: 'android',
    os: { name: 'Android', version: '14' },
    screen: { width: 1080, height: 2400, density: 2.625 },
  },
  {
    manufacturer: 'samsung',
    model: 'SM-S921B',
    name: 'e1s',
    type: 'android',
    os: { name: 'Android', version: '14' },
    screen: { width: 1080, height: 2340, density: 3 },
  },
]

export const MOBILE_APP = {
  name: 'Northfold',
  version: '3.4.1',
  build: '341',
  namespace: 'com.example.northfold',
}

export const MOBILE_SCREENS = [
  'Home',
  'Search',
  'Product Detail',
  'Cart',
  'Trips',
  'Profile',
] as const

export const FIRST_NAMES = [
  'Ada',
  'Bram',
  'Chloé',
  'Dmitri',
  'Elif',
  'Farah',
  'Gustavo',
  'Hana',
  'Ines',
  'Jonas',
  'Kwame',
  'Lena',
  'Mateo',
  'Noor',
  'Oskar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tomás',
  'Ulla',
  'Wei',
  'Yara',
  'Zoë',
] as const

export const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Ivanova',
  'Yılmaz',
  'Haddad',
  'Pereira',
  'Sato',
  'Costa',
  'Becker',
  'Mensah',
  'Novak',
  'García',
  'Rahman',
  'Nilsen',
  'Iyer',
  'Laurent',
  'Romero',
  'Berg',
  'Chen',
] as const

export const PLANS = ['free', 'free', 'starter', 'pro', 'pro', 'enterprise'] as const

export const LOCALES = [
  { locale: 'en-US', timezone: 'America/New_York' },
  { locale: 'en-GB', timezone: 'Europe/London' },
  { locale: 'de-DE', timezone: 'Europe/Berlin' },
  { locale: 'fr-FR', timezone: 'Europe/Paris' },
  { locale: 'ja-JP', timezone: 'Asia/Tokyo' },
  { locale: 'pt-BR', timezone: 'America/Sao_Paulo' },
] as const

export interface Company {
  id: string
  name: string
  industry: string
  employees: number
  plan: string
  website: string
  createdAt: string
}

export const COMPANIES: readonly Company[] = [
  {
    id: 'grp_alpine_guides',
    name: 'Alpine Guides Ltd',
    industry: 'Tourism',
    employees: 42,
    plan: 'team',
    website: 'https://alpine-guides.example.com',
    createdAt: '2023-04-11T09:30:00.000Z',
  },
  {
    id: 'grp_summit_schools',
    name: 'Summit Outdoor Schools',
    industry: 'Education',
    employees: 310,
    plan: 'enterprise',
    website: 'https://summit-schools.example.org',
    createdAt: '2022-09-01T12:00:00.000Z',
  },
  {
    id: 'grp_riverbend',
    name: 'Riverbend Rentals',
    industry: 'Retail',
    employees: 12,
    plan: 'starter',
    website: 'https://riverbend.example.net',
    createdAt: '2024-02-19T15:45:00.000Z',
  },
  {
    id: 'grp_trailworks',
    name: 'Trailworks Co-op',
    industry: 'Nonprofit',
    employees: 85,
    plan: 'team',
    website: 'https://trailworks.example.org',
    createdAt: '2023-11-30T08:15:00.000Z',
  },
]

export const EMAIL_CAMPAIGNS = [
  {
    campaign_id: 'cmp_spring_sale',
    campaign_name: 'Spring sale',
    email_subject: 'Up to 30% off tents this week',
  },
  {
    campaign_id: 'cmp_welcome',
    campaign_name: 'Welcome series #1',
    email_subject: 'Welcome to Northfold!',
  },
  {
    campaign_id: 'cmp_trip_ideas',
    campaign_name: 'Trip ideas (monthly)',
    email_subject: '5 weekend trips for April',
  },
] as const

export const NPS_COMMENTS = [
  'Fast delivery and great tent.',
  'Checkout was confusing.',
  'Love the app!',
  'Prices a bit high.',
  'Support answered within minutes.',
  '',
] as const
