import { canUseDepartment } from "@/server/auth/permissions";
import { listCategories, setCategoryDefaultSupplier, setDefaultSupplierInput } from "@/server/catalog/categories";
import {
  archiveLocalProduct,
  archiveLocalProductInput,
  bulkParLevelInput,
  copyStockAsPar,
  copyStockAsParInput,
  createLocalProduct,
  createLocalProductInput,
  departmentProductsInput,
  listDepartmentProducts,
  setBulkParLevel,
  setHidden,
  setHiddenInput,
  setParLevels,
  setParLevelsInput,
  setProductSupplier,
  setProductSupplierInput,
} from "@/server/catalog/products";
import {
  createSupplier,
  createSupplierInput,
  listSuppliers,
  listSuppliersInput,
  setSupplierArchived,
  setSupplierArchivedInput,
  updateSupplier,
  updateSupplierInput,
} from "@/server/catalog/suppliers";
import { createTRPCRouter, tenant } from "../init";
import { ForbiddenError } from "@/server/errors";

const suppliersRouter = createTRPCRouter({
  list: tenant("restaurant.read")
    .input(listSuppliersInput)
    .query(({ ctx, input }) => listSuppliers(ctx.db, input)),
  create: tenant("catalog.manage")
    .input(createSupplierInput)
    .mutation(({ ctx, input }) => createSupplier(ctx.db, ctx.restaurant.id, input)),
  update: tenant("catalog.manage")
    .input(updateSupplierInput)
    .mutation(({ ctx, input }) => updateSupplier(ctx.db, input)),
  setArchived: tenant("catalog.manage")
    .input(setSupplierArchivedInput)
    .mutation(({ ctx, input }) => setSupplierArchived(ctx.db, input)),
});

const categoriesRouter = createTRPCRouter({
  list: tenant("restaurant.read").query(({ ctx }) => listCategories(ctx.db)),
  setDefaultSupplier: tenant("catalog.manage")
    .input(setDefaultSupplierInput)
    .mutation(({ ctx, input }) => setCategoryDefaultSupplier(ctx.db, input)),
});

const productsRouter = createTRPCRouter({
  /** Staff may read the departments they work in. */
  byDepartment: tenant("restaurant.read")
    .input(departmentProductsInput)
    .query(({ ctx, input }) => {
      if (!canUseDepartment(ctx.actor, input.departmentId)) {
        throw new ForbiddenError("not_your_department", "You do not work in this department.");
      }
      return listDepartmentProducts(ctx.db, input);
    }),
  setParLevels: tenant("catalog.manage")
    .input(setParLevelsInput)
    .mutation(({ ctx, input }) => setParLevels(ctx.db, input)),
  setBulkParLevel: tenant("catalog.manage")
    .input(bulkParLevelInput)
    .mutation(({ ctx, input }) => setBulkParLevel(ctx.db, input)),
  copyStockAsPar: tenant("catalog.manage")
    .input(copyStockAsParInput)
    .mutation(({ ctx, input }) => copyStockAsPar(ctx.db, input)),
  setHidden: tenant("catalog.manage")
    .input(setHiddenInput)
    .mutation(({ ctx, input }) => setHidden(ctx.db, input)),
  setSupplier: tenant("catalog.manage")
    .input(setProductSupplierInput)
    .mutation(({ ctx, input }) => setProductSupplier(ctx.db, input)),
  createLocal: tenant("catalog.manage")
    .input(createLocalProductInput)
    .mutation(({ ctx, input }) => createLocalProduct(ctx.db, ctx.restaurant.id, input)),
  archiveLocal: tenant("catalog.manage")
    .input(archiveLocalProductInput)
    .mutation(({ ctx, input }) => archiveLocalProduct(ctx.db, input)),
});

export const catalogRouter = createTRPCRouter({
  suppliers: suppliersRouter,
  categories: categoriesRouter,
  products: productsRouter,
});
