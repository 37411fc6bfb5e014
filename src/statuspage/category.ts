/** "Social media" → "social-media": how a category appears in a status page URL. */
export function categorySlug(category: string): string {
  return category
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
