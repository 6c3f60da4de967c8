"""Original audio and previews behind signed, expiring URLs: `urls.media_url` hands them out,
`routes` serves them."""
