// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: debugfs directories and read-only files for debugfs::Dir.
 *
 * A directory is a reference-counted node: its owner (one C++ Dir) holds a
 * reference, and so does every subdirectory's node, so a directory is
 * never removed under a live subdirectory. The files created through a
 * node belong to its owner: releasing the owner removes them at once (the
 * data they show may go right after), and the directory itself goes with
 * its last reference.
 *
 * Files are made with debugfs_create_file(), whose proxy file operations
 * wrap every call in debugfs_file_get(): once debugfs_remove() has
 * returned, no read is running or will start, even on a file still open,
 * so the data and the show callback (in the driver's module) are never
 * used after removal. The file operations below belong to kcxx.ko, which
 * an open file pins; the driver's module can be unloaded meanwhile.
 *
 * Following debugfs's rule, failures are not reported to the caller as
 * errors: a directory that could not be made is NULL, and files are not
 * created under NULL.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <kcxx/bindings.h>

struct kcxx_debugfs_dir {
	struct kref ref;
	struct dentry *dentry;
	struct kcxx_debugfs_dir *parent;	/* holds a reference */
	struct kcxx_debugfs_dir **slot;		/* a module's root slot, or NULL */
	bool shared;				/* the parent's directory: not removed */
	struct list_head files;
};

struct kcxx_debugfs_file {
	struct list_head node;
	struct dentry *dentry;
	const void *data;	/* a blob's bytes */
	size_t len;
	int (*show)(struct seq_file *m, const void *obj);	/* a text file's */
	const void *obj;
};

/* Guards every module's root slot. */
static DEFINE_MUTEX(kcxx_debugfs_roots);

static void kcxx_debugfs_dir_free(struct kref *ref)
{
	struct kcxx_debugfs_dir *dir = container_of(ref, struct kcxx_debugfs_dir, ref);
	struct kcxx_debugfs_dir *parent = dir->parent;

	if (!dir->shared)
		debugfs_remove(dir->dentry);
	kfree(dir);
	if (parent)
		kref_put(&parent->ref, kcxx_debugfs_dir_free);
}

static struct kcxx_debugfs_dir *kcxx_debugfs_dir_new(const char *name,
						     struct kcxx_debugfs_dir *parent)
{
	struct kcxx_debugfs_dir *dir;
	struct dentry *d;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return NULL;
	d = debugfs_create_dir(name, parent ? parent->dentry : NULL);
	if (IS_ERR_OR_NULL(d)) {
		kfree(dir);
		return NULL;
	}
	kref_init(&dir->ref);
	dir->dentry = d;
	INIT_LIST_HEAD(&dir->files);
	if (parent) {
		kref_get(&parent->ref);
		dir->parent = parent;
	}
	return dir;
}

struct kcxx_debugfs_dir *kcxx_debugfs_create_dir(const char *name,
						 struct kcxx_debugfs_dir *parent)
{
	return kcxx_debugfs_dir_new(name, parent);
}
EXPORT_SYMBOL_GPL(kcxx_debugfs_create_dir);

/* A top-level directory that becomes what *@slot names; NULL if it names one already. */
struct kcxx_debugfs_dir *kcxx_debugfs_create_root(const char *name,
						  struct kcxx_debugfs_dir **slot)
{
	struct kcxx_debugfs_dir *dir = NULL;

	mutex_lock(&kcxx_debugfs_roots);
	if (!*slot) {
		dir = kcxx_debugfs_dir_new(name, NULL);
		if (dir) {
			dir->slot = slot;
			*slot = dir;
		}
	}
	mutex_unlock(&kcxx_debugfs_roots);
	return dir;
}
EXPORT_SYMBOL_GPL(kcxx_debugfs_create_root);

/* A subdirectory of the directory *@slot names; NULL if there is none. */
struct kcxx_debugfs_dir *kcxx_debugfs_create_in_root(const char *name,
						     struct kcxx_debugfs_dir **slot)
{
	struct kcxx_debugfs_dir *root, *dir = NULL;

	mutex_lock(&kcxx_debugfs_roots);
	root = *slot;
	if (root)
		kref_get(&root->ref);
	mutex_unlock(&kcxx_debugfs_roots);
	if (root) {
		dir = kcxx_debugfs_dir_new(name, root);
		kref_put(&root->ref, kcxx_debugfs_dir_free);
	}
	return dir;
}
EXPORT_SYMBOL_GPL(kcxx_debugfs_create_in_root);

/*
 * Another owner of @dir's directory with files of its own: releasing it
 * removes those files only; it holds @dir, so the directory outlives it.
 */
struct kcxx_debugfs_dir *kcxx_debugfs_share(struct kcxx_debugfs_dir *dir)
{
	struct kcxx_debugfs_dir *share;

	if (!dir)
		return NULL;
	share = kzalloc(sizeof(*share), GFP_KERNEL);
	if (!share)
		return NULL;
	kref_init(&share->ref);
	share->dentry = dir->dentry;
	share->shared = true;
	INIT_LIST_HEAD(&share->files);
	kref_get(&dir->ref);
	share->parent = dir;
	return share;
}
EXPORT_SYMBOL_GPL(kcxx_debugfs_share);

/* The owner lets go: its files are removed now, the directory with its last reference. */
void kcxx_debugfs_release(struct kcxx_debugfs_dir *dir)
{
	struct kcxx_debugfs_file *f, *next;

	if (!dir)
		return;
	if (dir->slot) {
		mutex_lock(&kcxx_debugfs_roots);
		if (*dir->slot == dir)
			*dir->slot = NULL;
		mutex_unlock(&kcxx_debugfs_roots);
	}
	list_for_each_entry_safe(f, next, &dir->files, node) {
		debugfs_remove(f->dentry);
		list_del(&f->node);
		kfree(f);
	}
	kref_put(&dir->ref, kcxx_debugfs_dir_free);
}
EXPORT_SYMBOL_GPL(kcxx_debugfs_release);

static struct kcxx_debugfs_file *kcxx_debugfs_file_new(void)
{
	return kzalloc(sizeof(struct kcxx_debugfs_file), GFP_KERNEL);
}

static int kcxx_debugfs_file_add(struct kcxx_debugfs_dir *dir, struct kcxx_debugfs_file *f,
				 struct dentry *d)
{
	if (IS_ERR_OR_NULL(d)) {
		kfree(f);
		return d ? PTR_ERR(d) : -ENOMEM;
	}
	f->dentry = d;
	list_add_tail(&f->node, &dir->files);
	return 0;
}

/*
 * Not debugfs_create_blob(): its file operations can write, and root may
 * open a 0444 file for writing. These have no write at all.
 */
static ssize_t kcxx_debugfs_blob_read(struct file *file, char __user *buf, size_t count,
				      loff_t *ppos)
{
	const struct kcxx_debugfs_file *f = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, f->data, f->len);
}

static const struct file_operations kcxx_debugfs_blob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = kcxx_debugfs_blob_read,
	.llseek = default_llseek,
};

int kcxx_debugfs_create_blob(struct kcxx_debugfs_dir *dir, const char *name,
			     const void *data, size_t len)
{
	struct kcxx_debugfs_file *f;
	struct dentry *d;
	int ret;

	if (!dir)
		return -ENOENT;
	f = kcxx_debugfs_file_new();
	if (!f)
		return -ENOMEM;
	f->data = data;
	f->len = len;
	d = debugfs_create_file(name, 0444, dir->dentry, f, &kcxx_debugfs_blob_fops);
	ret = kcxx_debugfs_file_add(dir, f, d);
	/* Its size, for stat(): what debugfs_create_file_size() does. */
	if (!ret)
		i_size_write(d_inode(d), len);
	return ret;
}
EXPORT_SYMBOL_GPL(kcxx_debugfs_create_blob);

static int kcxx_debugfs_seq_show(struct seq_file *m, void *v)
{
	const struct kcxx_debugfs_file *f = m->private;

	return f->show(m, f->obj);
}

static int kcxx_debugfs_seq_open(struct inode *inode, struct file *file)
{
	return single_open(file, kcxx_debugfs_seq_show, inode->i_private);
}

static const struct file_operations kcxx_debugfs_seq_fops = {
	.owner = THIS_MODULE,
	.open = kcxx_debugfs_seq_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

int kcxx_debugfs_create_seq(struct kcxx_debugfs_dir *dir, const char *name,
			    int (*show)(struct seq_file *m, const void *obj), const void *obj)
{
	struct kcxx_debugfs_file *f;

	if (!dir)
		return -ENOENT;
	f = kcxx_debugfs_file_new();
	if (!f)
		return -ENOMEM;
	f->show = show;
	f->obj = obj;
	return kcxx_debugfs_file_add(dir, f, debugfs_create_file(name, 0444, dir->dentry, f,
								 &kcxx_debugfs_seq_fops));
}
EXPORT_SYMBOL_GPL(kcxx_debugfs_create_seq);

void kcxx_seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	seq_vprintf(m, fmt, args);
}
EXPORT_SYMBOL_GPL(kcxx_seq_vprintf);

void kcxx_seq_write(struct seq_file *m, const void *data, size_t len)
{
	seq_write(m, data, len);
}
EXPORT_SYMBOL_GPL(kcxx_seq_write);
