# A path "link/../file" names the file the kernel reaches (the link's target's parent), not the
# one a lexical clean-up of the text would give: the tool reads what cat would read.
. "$(dirname "$0")/../common.inc"
mkdir -p real/sub srv
cp secondary.db real/aws.db
cp primary.db srv/aws.db # what "srv/link/../aws.db" would be, read as text
ln -s ../real/sub srv/link
$hm -o out.db primary.db srv/link/../aws.db > /dev/null
$hm -o want.db primary.db real/aws.db > /dev/null
assert_eq "$(rows want.db)" "$(rows out.db)" "rows"
